;;; Negation-heavy program: `not` and `exists` re-evaluated as facts are retracted.
;;; Mirror of program.rules: `not { a b }` is (not (and a b)), `x: < ?v` is a
;;; predicate constraint.

(deftemplate num (slot v (type INTEGER)))
(deftemplate sorted (slot rank (type INTEGER)) (slot v (type INTEGER)))
(deftemplate counter (slot name (type SYMBOL)) (slot next (type INTEGER)))

(deftemplate request (slot id (type INTEGER)) (slot item (type SYMBOL)))
(deftemplate supply (slot id (type INTEGER)) (slot item (type SYMBOL)))
(deftemplate paired (slot request (type INTEGER)) (slot supply (type INTEGER)) (slot item (type SYMBOL)))
(deftemplate unmatched (slot request (type INTEGER)) (slot item (type SYMBOL)) (slot reason (type STRING) (default "")))

(deftemplate task (slot id (type INTEGER)))
(deftemplate dep (slot task (type INTEGER)) (slot needs (type INTEGER)))
(deftemplate done (slot task (type INTEGER)))
(deftemplate lowest_blocked (slot task (type INTEGER)))

(deftemplate report (slot kind (type SYMBOL)))

(deffacts numbers
   (counter (name sort) (next 1))
   (num (v 42)) (num (v -7)) (num (v 0)) (num (v 13)) (num (v 5)) (num (v 99))
   (num (v -100)) (num (v 8)) (num (v 21)))

(deffacts stock
   (request (id 1) (item bolt)) (request (id 2) (item nut)) (request (id 3) (item bolt))
   (request (id 4) (item washer)) (request (id 5) (item nut)) (request (id 6) (item bolt))
   (request (id 7) (item nut)) (request (id 8) (item gear))
   (supply (id 17) (item nut)) (supply (id 12) (item bolt)) (supply (id 16) (item bolt))
   (supply (id 13) (item bolt)) (supply (id 15) (item washer)) (supply (id 14) (item washer))
   (supply (id 11) (item nut)))

(deffacts schedule
   (task (id 1)) (task (id 2)) (task (id 3)) (task (id 4)) (task (id 5)) (task (id 6))
   (task (id 7)) (task (id 8)) (task (id 9)) (task (id 10)) (task (id 11))
   (dep (task 2) (needs 1)) (dep (task 3) (needs 1)) (dep (task 3) (needs 2))
   (dep (task 4) (needs 3))
   (dep (task 5) (needs 9)) (dep (task 9) (needs 5))
   (dep (task 6) (needs 5))
   (dep (task 8) (needs 7)) (dep (task 8) (needs 4))
   (dep (task 10) (needs 10))
   (dep (task 11) (needs 99)))

(defrule pick_least
   (declare (salience 20))
   ?c <- (counter (name sort) (next ?k))
   ?n <- (num (v ?v))
   (not (num (v ?w&:(< ?w ?v))))
   =>
   (assert (sorted (rank ?k) (v ?v)))
   (retract ?n)
   (modify ?c (next (+ ?k 1))))

(defrule pair_lowest
   (declare (salience 10))
   ?r <- (request (id ?rid) (item ?i))
   (not (request (item ?i) (id ?x&:(< ?x ?rid))))
   ?s <- (supply (id ?sid) (item ?i))
   (not (supply (item ?i) (id ?y&:(< ?y ?sid))))
   =>
   (retract ?r)
   (retract ?s)
   (assert (paired (request ?rid) (supply ?sid) (item ?i))))

(defrule no_supply_left
   ?r <- (request (id ?rid) (item ?i))
   (not (supply (item ?i)))
   =>
   (retract ?r)
   (assert (unmatched (request ?rid) (item ?i) (reason (str-cat "no " ?i " left")))))

(defrule run_ready_task
   (declare (salience 5))
   ?t <- (task (id ?n))
   (not (and (dep (task ?n) (needs ?m)) (task (id ?m))))
   =>
   (retract ?t)
   (assert (done (task ?n))))

(defrule first_blocked_task
   (declare (salience -10))
   (task (id ?n))
   (not (task (id ?x&:(< ?x ?n))))
   =>
   (assert (lowest_blocked (task ?n))))

(defrule spare_supply
   (declare (salience -10))
   (exists (supply))
   =>
   (assert (report (kind spare_supply))))

(defrule spare_bolts
   (declare (salience -10))
   (exists (supply (item bolt)))
   =>
   (assert (report (kind spare_bolts))))

(defrule shortage
   (declare (salience -10))
   (exists (unmatched))
   =>
   (assert (report (kind shortage))))

(defrule all_requests_handled
   (declare (salience -10))
   (not (request))
   =>
   (assert (report (kind all_requests_handled))))

(defrule unsorted_numbers
   (declare (salience -10))
   (exists (num))
   =>
   (assert (report (kind unsorted_numbers))))
