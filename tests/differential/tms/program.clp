;;; Truth maintenance. Mirror of program.rules: `assert logical` is a rule whose whole
;;; left-hand side sits in one (logical ...) CE, so the support is the whole activation
;;; as in our language. Our bool `true` is the symbol TRUE here.

(deftemplate reading (slot sensor (type SYMBOL)) (slot value (type FLOAT))
   (slot trusted (type SYMBOL) (default TRUE)))
(deftemplate location (slot sensor (type SYMBOL)) (slot zone (type SYMBOL)))
(deftemplate occupied (slot zone (type SYMBOL)))
(deftemplate correction (slot step (type INTEGER)) (slot sensor (type SYMBOL)) (slot action (type SYMBOL)))
(deftemplate alarm (slot sensor (type SYMBOL)))
(deftemplate zone_alert (slot zone (type SYMBOL)))
(deftemplate evacuate (slot zone (type SYMBOL)))
(deftemplate evacuation_logged (slot zone (type SYMBOL)) (slot note (type STRING)))

(deffacts plant
   (reading (sensor s1) (value 120.0))
   (reading (sensor s2) (value 150.0))
   (reading (sensor s3) (value 130.25))
   (reading (sensor s4) (value 90.0))
   (reading (sensor s5) (value 101.5))
   (reading (sensor s6) (value 250.0) (trusted TRUE))
   (location (sensor s1) (zone north)) (location (sensor s2) (zone north))
   (location (sensor s3) (zone east)) (location (sensor s4) (zone south))
   (location (sensor s5) (zone west)) (location (sensor s6) (zone west))
   (occupied (zone north)) (occupied (zone east)) (occupied (zone west))
   (correction (step 1) (sensor s2) (action recheck))
   (correction (step 2) (sensor s1) (action drop))
   (correction (step 3) (sensor s3) (action reset))
   (correction (step 4) (sensor s5) (action distrust))
   (correction (step 5) (sensor s6) (action drop))
   (correction (step 6) (sensor s2) (action recheck)))

(defrule sensor_alarm
   (logical (reading (sensor ?s) (value ?v&:(> ?v 100)) (trusted TRUE)))
   =>
   (assert (alarm (sensor ?s))))

(defrule zone_in_alert
   (logical (alarm (sensor ?s))
            (location (sensor ?s) (zone ?z)))
   =>
   (assert (zone_alert (zone ?z))))

(defrule order_evacuation
   (logical (zone_alert (zone ?z))
            (occupied (zone ?z)))
   =>
   (assert (evacuate (zone ?z))))

(defrule log_evacuation
   (evacuate (zone ?z))
   =>
   (assert (evacuation_logged (zone ?z) (note (str-cat "evacuate " ?z)))))

(defrule apply_drop
   (declare (salience -10))
   ?c <- (correction (step ?k) (sensor ?s) (action drop))
   (not (correction (step ?j&:(< ?j ?k))))
   ?r <- (reading (sensor ?s))
   =>
   (retract ?r)
   (retract ?c))

(defrule apply_reset
   (declare (salience -10))
   ?c <- (correction (step ?k) (sensor ?s) (action reset))
   (not (correction (step ?j&:(< ?j ?k))))
   ?r <- (reading (sensor ?s))
   =>
   (modify ?r (value 20.5))
   (retract ?c))

(defrule apply_distrust
   (declare (salience -10))
   ?c <- (correction (step ?k) (sensor ?s) (action distrust))
   (not (correction (step ?j&:(< ?j ?k))))
   ?r <- (reading (sensor ?s))
   =>
   (modify ?r (trusted FALSE))
   (retract ?c))

(defrule apply_recheck
   (declare (salience -10))
   ?c <- (correction (step ?k) (sensor ?s) (action recheck))
   (not (correction (step ?j&:(< ?j ?k))))
   ?r <- (reading (sensor ?s) (value ?v))
   =>
   (modify ?r (value ?v))
   (retract ?c))
