;;; Transitive closure, the same two rules as closure.rules.
(deftemplate parent (slot p) (slot c))
(deftemplate anc    (slot a) (slot d))

(defrule anc_base
   (parent (p ?x) (c ?y))
   =>
   (assert (anc (a ?x) (d ?y))))

(defrule anc_step
   (anc (a ?x) (d ?y))
   (parent (p ?y) (c ?z))
   =>
   (assert (anc (a ?x) (d ?z))))
