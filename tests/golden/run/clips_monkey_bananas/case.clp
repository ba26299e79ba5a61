(deftemplate monkey (slot at) (slot on) (slot holding))
(deftemplate thing (slot name) (slot at))
(deftemplate want (slot what))
(deftemplate move_goal (slot what) (slot to))
(deftemplate log (slot step) (slot action))
(deftemplate clock (slot t))
(deffacts start
  (monkey (at door) (on floor) (holding nothing))
  (thing (name box) (at window))
  (thing (name bananas) (at center))
  (want (what bananas))
  (clock (t 0)))
(defrule need_box_under_bananas
  (want (what bananas)) (thing (name bananas) (at ?l)) (thing (name box) (at ?b&~?l))
  (not (move_goal (what box)))
  => (assert (move_goal (what box) (to ?l))))
(defrule walk_to_box
  (move_goal (what box)) (thing (name box) (at ?b)) ?m <- (monkey (at ?a&~?b) (on floor)) ?c <- (clock (t ?t))
  => (modify ?m (at ?b)) (modify ?c (t (+ ?t 1))) (assert (log (step (+ ?t 1)) (action walk))))
(defrule push_box
  ?g <- (move_goal (what box) (to ?l)) ?x <- (thing (name box) (at ?b)) ?m <- (monkey (at ?b) (on floor)) ?c <- (clock (t ?t))
  => (modify ?x (at ?l)) (modify ?m (at ?l)) (retract ?g) (modify ?c (t (+ ?t 1))) (assert (log (step (+ ?t 1)) (action push))))
(defrule climb
  (want (what bananas)) (thing (name bananas) (at ?l)) (thing (name box) (at ?l)) ?m <- (monkey (at ?l) (on floor)) ?c <- (clock (t ?t))
  => (modify ?m (on box)) (modify ?c (t (+ ?t 1))) (assert (log (step (+ ?t 1)) (action climb))))
(defrule grab
  ?w <- (want (what bananas)) (thing (name bananas) (at ?l)) ?m <- (monkey (at ?l) (on box) (holding nothing)) ?c <- (clock (t ?t))
  => (modify ?m (holding bananas)) (retract ?w) (modify ?c (t (+ ?t 1))) (assert (log (step (+ ?t 1)) (action grab))))
(reset)
(run)
(facts)
(exit)
