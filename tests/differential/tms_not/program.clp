;;; Truth maintenance through not and exists. Mirror of program.rules: `assert logical`
;;; is a rule whose whole left-hand side sits in one (logical ...) CE.

(deftemplate sensor (slot name (type SYMBOL)) (slot zone (type SYMBOL)))
(deftemplate zone (slot name (type SYMBOL)))
(deftemplate event (slot step (type INTEGER)) (slot kind (type SYMBOL)) (slot sensor (type SYMBOL)))
(deftemplate fault (slot sensor (type SYMBOL)))
(deftemplate fault_seen (slot sensor (type SYMBOL)))
(deftemplate ok (slot sensor (type SYMBOL)))
(deftemplate zone_ok (slot zone (type SYMBOL)))
(deftemplate open_for_work (slot zone (type SYMBOL)) (slot note (type STRING)))
(deftemplate maintenance_needed (slot level (type INTEGER)))

(deffacts plant
   (sensor (name s1) (zone north)) (sensor (name s2) (zone north))
   (sensor (name s3) (zone east)) (sensor (name s4) (zone south))
   (zone (name north)) (zone (name east)) (zone (name south))
   (event (step 1) (kind add_fault) (sensor s1))
   (event (step 2) (kind add_fault) (sensor s3))
   (event (step 3) (kind clear_fault) (sensor s1)))

(defrule presumed_ok
   (logical (sensor (name ?s))
            (not (fault (sensor ?s))))
   =>
   (assert (ok (sensor ?s))))

(defrule zone_without_faults
   (logical (zone (name ?z))
            (not (and (sensor (name ?s) (zone ?z)) (fault (sensor ?s)))))
   =>
   (assert (zone_ok (zone ?z))))

(defrule open_zone
   (logical (zone_ok (zone ?z)))
   =>
   (assert (open_for_work (zone ?z) (note (str-cat ?z " is open")))))

(defrule call_maintenance
   (logical (exists (fault)))
   =>
   (assert (maintenance_needed (level 1))))

(defrule remember_fault
   (fault (sensor ?s))
   =>
   (assert (fault_seen (sensor ?s))))

(defrule apply_add_fault
   (declare (salience -10))
   ?e <- (event (step ?k) (kind add_fault) (sensor ?s))
   (not (event (step ?j&:(< ?j ?k))))
   =>
   (retract ?e)
   (assert (fault (sensor ?s))))

(defrule apply_clear_fault
   (declare (salience -10))
   ?e <- (event (step ?k) (kind clear_fault) (sensor ?s))
   (not (event (step ?j&:(< ?j ?k))))
   ?f <- (fault (sensor ?s))
   =>
   (retract ?e)
   (retract ?f))
