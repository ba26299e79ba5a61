;;; Transitive closure over a graph with cycles. Mirror of program.rules.

(deftemplate edge (slot from (type SYMBOL)) (slot to (type SYMBOL)))
(deftemplate reach (slot from (type SYMBOL)) (slot to (type SYMBOL)))
(deftemplate cyclic (slot node (type SYMBOL)))
(deftemplate same_component (slot a (type SYMBOL)) (slot b (type SYMBOL)))

(deffacts graph
   (edge (from a0) (to a1))
   (edge (from a1) (to a2))
   (edge (from a2) (to a3))
   (edge (from a3) (to a4))
   (edge (from a4) (to a5))
   (edge (from a5) (to a6))
   (edge (from a6) (to a7))
   (edge (from a7) (to a8))
   (edge (from a8) (to a9))
   (edge (from a9) (to a0))
   (edge (from b0) (to b1))
   (edge (from b1) (to b2))
   (edge (from b2) (to b3))
   (edge (from b3) (to b4))
   (edge (from b4) (to b5))
   (edge (from b5) (to b6))
   (edge (from b6) (to b7))
   (edge (from b7) (to b0))
   (edge (from a0) (to b0))
   (edge (from c0) (to c1))
   (edge (from c1) (to c2))
   (edge (from c2) (to c0))
   (edge (from c0) (to c3))
   (edge (from c3) (to c4))
   (edge (from c4) (to c0))
   (edge (from b4) (to c1))
   (edge (from t0) (to t1))
   (edge (from t1) (to t2))
   (edge (from t2) (to a5))
   (edge (from s) (to s))
   (edge (from p) (to q)))

(defrule reach_by_edge
   (edge (from ?a) (to ?b))
   =>
   (assert (reach (from ?a) (to ?b))))

(defrule reach_by_step
   (reach (from ?a) (to ?b))
   (edge (from ?b) (to ?c))
   =>
   (assert (reach (from ?a) (to ?c))))

(defrule on_a_cycle
   (reach (from ?n) (to ?n))
   =>
   (assert (cyclic (node ?n))))

(defrule mutually_reachable
   (reach (from ?a) (to ?b&~?a))
   (reach (from ?b) (to ?a))
   =>
   (assert (same_component (a ?a) (b ?b))))
