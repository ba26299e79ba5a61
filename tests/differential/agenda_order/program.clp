;;; The order of firings under each strategy, seen through printout. Mirror of
;;; program.rules.

(deftemplate task (slot name (type SYMBOL)))
(deftemplate urgent (slot name (type SYMBOL)))
(deftemplate step (slot task (type SYMBOL)) (slot n (type INTEGER)))

(deffacts initial
   (task (name alpha))
   (task (name beta))
   (task (name gamma))
   (urgent (name beta)))

(defrule start
   (task (name ?t))
   =>
   (printout t "start " ?t crlf)
   (assert (step (task ?t) (n 1))))

(defrule advance
   (step (task ?t) (n ?n&:(< ?n 3)))
   =>
   (printout t ?t " step " ?n crlf)
   (assert (step (task ?t) (n (+ ?n 1)))))

(defrule finish
   (declare (salience -5))
   (step (task ?t) (n 3))
   =>
   (printout t ?t " done" crlf))

(defrule rush
   (declare (salience 5))
   (urgent (name ?t))
   (task (name ?t))
   =>
   (printout t "rush " ?t crlf))
