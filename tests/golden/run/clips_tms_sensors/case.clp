(deftemplate sensor (slot id) (slot reading))
(deftemplate alarm (slot id))
(deftemplate evacuate (slot zone))
(deftemplate repaired (slot id))
(deffacts s
  (sensor (id s1) (reading 150)) (sensor (id s2) (reading 200)) (sensor (id s3) (reading 20)))
(defrule high_reading
  (logical (sensor (id ?s) (reading ?r)) (test (> ?r 100)))
  => (assert (alarm (id ?s))))
(defrule evacuate_all
  (logical (exists (alarm)))
  => (assert (evacuate (zone all))))
(defrule repair (declare (salience -10))
  ?s <- (sensor (id ?id) (reading ?r)) (test (> ?r 100)) (not (repaired (id ?id)))
  => (assert (repaired (id ?id))) (modify ?s (reading 50)))
(reset)
(run)
(facts)
(exit)
