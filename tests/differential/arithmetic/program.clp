;;; Expressions. Mirror of program.rules: `/` on ints is div, `%` is mod, str() is
;;; str-cat, len() is str-length, a `where` is a test CE.

(deftemplate pair (slot a (type INTEGER)) (slot b (type INTEGER)))
(deftemplate fpair (slot x (type FLOAT)) (slot y (type FLOAT)))
(deftemplate word (slot w (type SYMBOL)))
(deftemplate int_result
   (slot a (type INTEGER)) (slot b (type INTEGER))
   (slot sum (type INTEGER)) (slot diff (type INTEGER)) (slot prod (type INTEGER))
   (slot quot (type INTEGER)) (slot rem (type INTEGER))
   (slot mixed (type INTEGER))
   (slot text (type STRING)))
(deftemplate bounds (slot a (type INTEGER)) (slot b (type INTEGER)) (slot low (type INTEGER))
   (slot high (type INTEGER)) (slot dist (type INTEGER)))
(deftemplate float_result (slot x (type FLOAT)) (slot y (type FLOAT)) (slot sum (type FLOAT))
   (slot prod (type FLOAT)) (slot quot (type FLOAT)) (slot shifted (type FLOAT)) (slot absx (type FLOAT)))
(deftemplate selected (slot a (type INTEGER)) (slot b (type INTEGER)) (slot why (type SYMBOL)))
(deftemplate big (slot x (type FLOAT)))
(deftemplate length (slot w (type SYMBOL)) (slot n (type INTEGER)) (slot text (type STRING)))

(deffacts initial
   (pair (a 7) (b 2)) (pair (a -7) (b 2)) (pair (a 7) (b -2)) (pair (a -7) (b -2))
   (pair (a 0) (b 5)) (pair (a 1000000007) (b 97)) (pair (a -9) (b 4))
   (fpair (x 2.5) (y 0.5)) (fpair (x -0.75) (y 4.0)) (fpair (x 1.0) (y 3.0))
   (fpair (x 12.5) (y -0.125))
   (word (w a)) (word (w zebra)) (word (w monkey_bananas)))

(defrule integer_arithmetic
   (pair (a ?a) (b ?b))
   =>
   (assert (int_result (a ?a) (b ?b) (sum (+ ?a ?b)) (diff (- ?a ?b)) (prod (* ?a ?b))
                       (quot (div ?a ?b)) (rem (mod ?a ?b))
                       (mixed (- (+ ?a (* ?b 2)) (mod (- 0 ?a) 3)))
                       (text (str-cat ?a "/" ?b " = " (div ?a ?b) " rem " (mod ?a ?b))))))

(defrule integer_bounds
   (pair (a ?a) (b ?b))
   =>
   (assert (bounds (a ?a) (b ?b) (low (min ?a ?b 0)) (high (max ?a ?b 0)) (dist (abs (- ?a ?b))))))

(defrule odd_and_greater
   (pair (a ?a) (b ?b))
   (test (and (> ?a ?b) (<> (mod ?a 2) 0)))
   =>
   (assert (selected (a ?a) (b ?b) (why odd_and_greater))))

(defrule some_negative
   (pair (a ?a) (b ?b))
   (test (and (not (= ?a 0)) (or (< ?a 0) (< ?b 0))))
   =>
   (assert (selected (a ?a) (b ?b) (why some_negative))))

(defrule float_arithmetic
   (fpair (x ?x) (y ?y))
   =>
   (assert (float_result (x ?x) (y ?y) (sum (+ ?x ?y)) (prod (* ?x ?y)) (quot (/ ?x ?y))
                         (shifted (+ (* ?x 2) 1)) (absx (abs ?x)))))

(defrule at_least_one
   (fpair (x ?x&:(>= ?x 1)))
   =>
   (assert (big (x ?x))))

(defrule word_length
   (word (w ?w))
   =>
   (assert (length (w ?w) (n (str-length ?w)) (text (str-cat ?w ":" (str-length ?w) ":" 2.5 ":" -0.75)))))
