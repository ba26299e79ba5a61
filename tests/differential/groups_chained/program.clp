;;; Groups in a row and nested, re-evaluated as facts come and go. Mirror of
;;; program.rules: a `not { ... }` group is (not (and ...)).

(deftemplate person (slot name (type SYMBOL)))
(deftemplate level (slot name (type SYMBOL)) (slot value (type INTEGER)))
(deftemplate flag (slot name (type SYMBOL)))
(deftemplate waiver (slot name (type SYMBOL)))
(deftemplate block (slot name (type SYMBOL)))
(deftemplate clock (slot step (type INTEGER)) (slot next (type INTEGER)))
(deftemplate event (slot step (type INTEGER)) (slot kind (type SYMBOL)) (slot name (type SYMBOL)))
(deftemplate clear_at (slot name (type SYMBOL)) (slot step (type INTEGER)))
(deftemplate review_at (slot name (type SYMBOL)) (slot step (type INTEGER)))
(deftemplate covered_at (slot name (type SYMBOL)) (slot step (type INTEGER)))
(deftemplate escalate_at (slot name (type SYMBOL)) (slot step (type INTEGER)) (slot value (type INTEGER)))

(deffacts town
   (person (name a)) (person (name b)) (person (name c)) (person (name d))
   (level (name a) (value 1)) (level (name b) (value 2)) (level (name c) (value 3))
   (flag (name d)) (waiver (name d))
   (clock (step 0) (next 1))
   (event (step 1) (kind add_flag) (name b))
   (event (step 2) (kind add_waiver) (name b))
   (event (step 3) (kind add_flag) (name c))
   (event (step 4) (kind add_block) (name a))
   (event (step 5) (kind remove_flag) (name b))
   (event (step 6) (kind remove_block) (name a))
   (event (step 7) (kind remove_waiver) (name b))
   (event (step 8) (kind add_flag) (name b))
   (event (step 9) (kind remove_waiver) (name d))
   (event (step 10) (kind remove_flag) (name c)))

(defrule clear
   (clock (step ?s))
   (person (name ?n))
   (not (flag (name ?n)))
   (not (block (name ?n)))
   =>
   (assert (clear_at (name ?n) (step ?s))))

(defrule review
   (clock (step ?s))
   (person (name ?n))
   (exists (flag (name ?n)))
   (not (waiver (name ?n)))
   =>
   (assert (review_at (name ?n) (step ?s))))

(defrule covered
   (clock (step ?s))
   (person (name ?n))
   (not (and (flag (name ?n))
             (not (waiver (name ?n)))))
   =>
   (assert (covered_at (name ?n) (step ?s))))

(defrule escalate
   (clock (step ?s))
   (person (name ?n))
   (exists (flag (name ?n)))
   (not (waiver (name ?n)))
   (level (name ?n) (value ?v))
   =>
   (assert (escalate_at (name ?n) (step ?s) (value ?v))))

(defrule add_flag
   (declare (salience -10))
   ?c <- (clock (next ?t))
   ?e <- (event (step ?t) (kind add_flag) (name ?n))
   =>
   (assert (flag (name ?n)))
   (retract ?e)
   (modify ?c (step ?t) (next (+ ?t 1))))

(defrule remove_flag
   (declare (salience -10))
   ?c <- (clock (next ?t))
   ?e <- (event (step ?t) (kind remove_flag) (name ?n))
   ?f <- (flag (name ?n))
   =>
   (retract ?f)
   (retract ?e)
   (modify ?c (step ?t) (next (+ ?t 1))))

(defrule add_waiver
   (declare (salience -10))
   ?c <- (clock (next ?t))
   ?e <- (event (step ?t) (kind add_waiver) (name ?n))
   =>
   (assert (waiver (name ?n)))
   (retract ?e)
   (modify ?c (step ?t) (next (+ ?t 1))))

(defrule remove_waiver
   (declare (salience -10))
   ?c <- (clock (next ?t))
   ?e <- (event (step ?t) (kind remove_waiver) (name ?n))
   ?w <- (waiver (name ?n))
   =>
   (retract ?w)
   (retract ?e)
   (modify ?c (step ?t) (next (+ ?t 1))))

(defrule add_block
   (declare (salience -10))
   ?c <- (clock (next ?t))
   ?e <- (event (step ?t) (kind add_block) (name ?n))
   =>
   (assert (block (name ?n)))
   (retract ?e)
   (modify ?c (step ?t) (next (+ ?t 1))))

(defrule remove_block
   (declare (salience -10))
   ?c <- (clock (next ?t))
   ?e <- (event (step ?t) (kind remove_block) (name ?n))
   ?b <- (block (name ?n))
   =>
   (retract ?b)
   (retract ?e)
   (modify ?c (step ?t) (next (+ ?t 1))))
