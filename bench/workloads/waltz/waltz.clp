;;; Waltz line labelling in CLIPS, rule for rule the same program as waltz.rules (the
;;; OPS5 benchmark): duplicate the lines into directed edges, detect and classify the
;;; junctions, label two boundary junctions, propagate the labels, plot. The junction
;;; shapes come from cross products of the edges' directions (dx, dy), as in
;;; waltz.rules; stage changes have salience -10. Run it with (set-strategy depth).

(deftemplate stage    (slot value))
(deftemplate line     (slot p1) (slot p2))
(deftemplate edge     (slot p1) (slot p2) (slot dx) (slot dy)
                      (slot joined (default false)) (slot label (default nil))
                      (slot plotted (default false)))
(deftemplate junction (slot type) (slot base_point) (slot p1) (slot p2) (slot p3 (default 0)))

(deffacts waltz_control
   (stage (value start)))

(defrule begin
   ?s <- (stage (value start))
   =>
   (modify ?s (value duplicate)))

;;; ---- duplicate every line into two directed edges

(defrule reverse_edges
   (stage (value duplicate))
   ?l <- (line (p1 ?p1) (p2 ?p2))
   =>
   (assert (edge (p1 ?p1) (p2 ?p2) (dx (- (div ?p2 10000) (div ?p1 10000))) (dy (- (mod ?p2 10000) (mod ?p1 10000)))))
   (assert (edge (p1 ?p2) (p2 ?p1) (dx (- (div ?p1 10000) (div ?p2 10000))) (dy (- (mod ?p1 10000) (mod ?p2 10000)))))
   (retract ?l))

(defrule done_reversing
   (declare (salience -10))
   ?s <- (stage (value duplicate))
   =>
   (modify ?s (value detect_junctions)))

;;; ---- detect and classify the junctions

(defrule make_arrow
   (stage (value detect_junctions))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1) (dx ?x1) (dy ?y1) (joined false))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2&~?p1) (dx ?x2) (dy ?y2) (joined false))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3&~?p1&~?p2) (dx ?x3) (dy ?y3) (joined false))
   (test (> (* (- (* ?x1 ?y2) (* ?y1 ?x2)) (- (* ?x2 ?y3) (* ?y2 ?x3))) 0))
   (test (< (* (- (* ?x1 ?y2) (* ?y1 ?x2)) (- (* ?x3 ?y1) (* ?y3 ?x1))) 0))
   =>
   (assert (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3)))
   (modify ?e1 (joined true))
   (modify ?e2 (joined true))
   (modify ?e3 (joined true)))

(defrule make_fork
   (stage (value detect_junctions))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1) (dx ?x1) (dy ?y1) (joined false))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2&~?p1) (dx ?x2) (dy ?y2) (joined false))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3&~?p1&~?p2) (dx ?x3) (dy ?y3) (joined false))
   (test (> (* (- (* ?x1 ?y2) (* ?y1 ?x2)) (- (* ?x2 ?y3) (* ?y2 ?x3))) 0))
   (test (> (* (- (* ?x1 ?y2) (* ?y1 ?x2)) (- (* ?x3 ?y1) (* ?y3 ?x1))) 0))
   =>
   (assert (junction (type fork) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3)))
   (modify ?e1 (joined true))
   (modify ?e2 (joined true))
   (modify ?e3 (joined true)))

(defrule make_tee
   (stage (value detect_junctions))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1) (dx ?x1) (dy ?y1) (joined false))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2&~?p1) (joined false))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3&~?p1&~?p2) (dx ?x3) (dy ?y3) (joined false))
   (test (= (- (* ?x3 ?y1) (* ?y3 ?x1)) 0))
   =>
   (assert (junction (type tee) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3)))
   (modify ?e1 (joined true))
   (modify ?e2 (joined true))
   (modify ?e3 (joined true)))

(defrule make_L
   (stage (value detect_junctions))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1) (joined false))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2&~?p1) (joined false))
   (not (edge (p1 ?bp) (p2 ~?p1&~?p2)))
   =>
   (assert (junction (type L) (base_point ?bp) (p1 ?p1) (p2 ?p2)))
   (modify ?e1 (joined true))
   (modify ?e2 (joined true)))

(defrule done_detecting
   (declare (salience -10))
   ?s <- (stage (value detect_junctions))
   =>
   (modify ?s (value find_initial_boundary)))

;;; ---- the two boundary junctions: the highest point, then the lowest

(defrule initial_boundary_junction_L
   ?s <- (stage (value find_initial_boundary))
   (junction (type L) (base_point ?bp) (p1 ?p1) (p2 ?p2))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2))
   (not (junction (base_point ?b&:(> ?b ?bp))))
   =>
   (modify ?e1 (label b))
   (modify ?e2 (label b))
   (modify ?s (value find_second_boundary)))

(defrule initial_boundary_junction_arrow
   ?s <- (stage (value find_initial_boundary))
   (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3))
   (not (junction (base_point ?b&:(> ?b ?bp))))
   =>
   (modify ?e1 (label b))
   (modify ?e2 (label plus))
   (modify ?e3 (label b))
   (modify ?s (value find_second_boundary)))

(defrule second_boundary_junction_L
   ?s <- (stage (value find_second_boundary))
   (junction (type L) (base_point ?bp) (p1 ?p1) (p2 ?p2))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2))
   (not (junction (base_point ?b&:(< ?b ?bp))))
   =>
   (modify ?e1 (label b))
   (modify ?e2 (label b))
   (modify ?s (value labeling)))

(defrule second_boundary_junction_arrow
   ?s <- (stage (value find_second_boundary))
   (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3))
   (not (junction (base_point ?b&:(< ?b ?bp))))
   =>
   (modify ?e1 (label b))
   (modify ?e2 (label plus))
   (modify ?e3 (label b))
   (modify ?s (value labeling)))

;;; ---- propagation: an edge's label holds for its reverse, then the junction tables

(defrule match_edge
   (stage (value labeling))
   (edge (p1 ?p1) (p2 ?p2) (label ?label&plus|minus|b))
   ?e <- (edge (p1 ?p2) (p2 ?p1) (label nil))
   =>
   (modify ?e (label ?label)))

(defrule label_L
   (stage (value labeling))
   (junction (type L) (base_point ?bp))
   (edge (p1 ?bp) (p2 ?p1) (label plus|minus))
   ?e <- (edge (p1 ?bp) (p2 ~?p1) (label nil))
   =>
   (modify ?e (label b)))

(defrule label_tee_A
   (stage (value labeling))
   (junction (type tee) (base_point ?bp) (p1 ?p1) (p3 ?p3))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1) (label nil))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3))
   =>
   (modify ?e1 (label b))
   (modify ?e3 (label b)))

(defrule label_tee_B
   (stage (value labeling))
   (junction (type tee) (base_point ?bp) (p1 ?p1) (p3 ?p3))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3) (label nil))
   =>
   (modify ?e1 (label b))
   (modify ?e3 (label b)))

(defrule label_fork_1
   (stage (value labeling))
   (junction (type fork) (base_point ?bp))
   (edge (p1 ?bp) (p2 ?p1) (label plus))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2&~?p1) (label nil))
   ?e3 <- (edge (p1 ?bp) (p2 ~?p1&~?p2))
   =>
   (modify ?e2 (label plus))
   (modify ?e3 (label plus)))

(defrule label_fork_2
   (stage (value labeling))
   (junction (type fork) (base_point ?bp))
   (edge (p1 ?bp) (p2 ?p1) (label b))
   (edge (p1 ?bp) (p2 ?p2&~?p1) (label minus))
   ?e3 <- (edge (p1 ?bp) (p2 ~?p1&~?p2) (label nil))
   =>
   (modify ?e3 (label b)))

(defrule label_fork_3
   (stage (value labeling))
   (junction (type fork) (base_point ?bp))
   (edge (p1 ?bp) (p2 ?p1) (label b))
   (edge (p1 ?bp) (p2 ?p2&~?p1) (label b))
   ?e3 <- (edge (p1 ?bp) (p2 ~?p1&~?p2) (label nil))
   =>
   (modify ?e3 (label minus)))

(defrule label_fork_4
   (stage (value labeling))
   (junction (type fork) (base_point ?bp))
   (edge (p1 ?bp) (p2 ?p1) (label minus))
   (edge (p1 ?bp) (p2 ?p2&~?p1) (label minus))
   ?e3 <- (edge (p1 ?bp) (p2 ~?p1&~?p2) (label nil))
   =>
   (modify ?e3 (label minus)))

;;; Arrows: p2 is the shaft, p1 and p3 the barbs; A and B are the two mirror images.

(defrule label_arrow_1A
   (stage (value labeling))
   (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
   (edge (p1 ?bp) (p2 ?p1) (label ?v&b|minus))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2) (label nil))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3))
   =>
   (modify ?e2 (label plus))
   (modify ?e3 (label ?v)))

(defrule label_arrow_1B
   (stage (value labeling))
   (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
   (edge (p1 ?bp) (p2 ?p3) (label ?v&b|minus))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2) (label nil))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1))
   =>
   (modify ?e2 (label plus))
   (modify ?e1 (label ?v)))

(defrule label_arrow_2A
   (stage (value labeling))
   (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
   (edge (p1 ?bp) (p2 ?p1) (label plus))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2) (label nil))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3))
   =>
   (modify ?e2 (label minus))
   (modify ?e3 (label plus)))

(defrule label_arrow_2B
   (stage (value labeling))
   (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
   (edge (p1 ?bp) (p2 ?p3) (label plus))
   ?e2 <- (edge (p1 ?bp) (p2 ?p2) (label nil))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1))
   =>
   (modify ?e2 (label minus))
   (modify ?e1 (label plus)))

(defrule label_arrow_3A
   (stage (value labeling))
   (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1) (label nil))
   (edge (p1 ?bp) (p2 ?p2) (label plus))
   (edge (p1 ?bp) (p2 ?p3) (label ?v&b|minus))
   =>
   (modify ?e1 (label ?v)))

(defrule label_arrow_3B
   (stage (value labeling))
   (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
   (edge (p1 ?bp) (p2 ?p1) (label ?v&b|minus))
   (edge (p1 ?bp) (p2 ?p2) (label plus))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3) (label nil))
   =>
   (modify ?e3 (label ?v)))

(defrule label_arrow_4A
   (stage (value labeling))
   (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1) (label nil))
   (edge (p1 ?bp) (p2 ?p2) (label minus))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3))
   =>
   (modify ?e1 (label plus))
   (modify ?e3 (label plus)))

(defrule label_arrow_4B
   (stage (value labeling))
   (junction (type arrow) (base_point ?bp) (p1 ?p1) (p2 ?p2) (p3 ?p3))
   ?e1 <- (edge (p1 ?bp) (p2 ?p1))
   (edge (p1 ?bp) (p2 ?p2) (label minus))
   ?e3 <- (edge (p1 ?bp) (p2 ?p3) (label nil))
   =>
   (modify ?e1 (label plus))
   (modify ?e3 (label plus)))

(defrule done_labeling
   (declare (salience -10))
   ?s <- (stage (value labeling))
   =>
   (modify ?s (value plot_remaining_edges)))

;;; ---- plot: mark every edge, labelled or not, as drawn

(defrule plot_remaining
   (stage (value plot_remaining_edges))
   ?e <- (edge (plotted false) (label ~nil))
   =>
   (modify ?e (plotted true)))

(defrule plot_unlabelled
   (stage (value plot_remaining_edges))
   ?e <- (edge (plotted false) (label nil))
   =>
   (modify ?e (plotted true)))

(defrule done_plotting
   (declare (salience -10))
   ?s <- (stage (value plot_remaining_edges))
   =>
   (modify ?s (value done)))
