;;; Miss Manners in CLIPS, rule for rule the same program as manners.rules (the OPS5
;;; benchmark): a depth-first search for a seating where neighbours have opposite sex
;;; and share a hobby. No salience; run it with (set-strategy depth).

(deftemplate guest     (slot name) (slot sex) (slot hobby))
(deftemplate last_seat (slot seat))
(deftemplate count     (slot c))
(deftemplate context   (slot state))
(deftemplate seating   (slot seat1) (slot name1) (slot name2) (slot seat2)
                       (slot id) (slot pid) (slot path_done))
(deftemplate path      (slot id) (slot name) (slot seat))
(deftemplate chosen    (slot id) (slot name) (slot hobby))

(deffacts manners_control
   (context (state start))
   (count (c 1)))

(defrule assign_first_seat
   ?ctx <- (context (state start))
   (guest (name ?n))
   ?cnt <- (count (c ?c))
   =>
   (assert (seating (seat1 1) (name1 ?n) (name2 ?n) (seat2 1) (id ?c) (pid 0) (path_done yes)))
   (assert (path (id ?c) (name ?n) (seat 1)))
   (modify ?cnt (c (+ ?c 1)))
   (modify ?ctx (state assign_seats)))

(defrule find_seating
   ?ctx <- (context (state assign_seats))
   (seating (seat2 ?s2) (name2 ?n2) (id ?id) (path_done yes))
   (guest (name ?n2) (sex ?sx) (hobby ?h))
   (guest (name ?g) (sex ~?sx) (hobby ?h))
   ?cnt <- (count (c ?c))
   (not (path (id ?id) (name ?g)))
   (not (chosen (id ?id) (name ?g) (hobby ?h)))
   =>
   (assert (seating (seat1 ?s2) (name1 ?n2) (name2 ?g) (seat2 (+ ?s2 1)) (id ?c) (pid ?id) (path_done no)))
   (assert (path (id ?c) (name ?g) (seat (+ ?s2 1))))
   (assert (chosen (id ?id) (name ?g) (hobby ?h)))
   (modify ?cnt (c (+ ?c 1)))
   (modify ?ctx (state make_path)))

(defrule make_path
   (context (state make_path))
   (seating (id ?id) (pid ?pid) (path_done no))
   (path (id ?pid) (name ?n) (seat ?s))
   (not (path (id ?id) (name ?n)))
   =>
   (assert (path (id ?id) (name ?n) (seat ?s))))

(defrule path_done
   ?ctx <- (context (state make_path))
   ?st <- (seating (path_done no))
   =>
   (modify ?st (path_done yes))
   (modify ?ctx (state check_done)))

(defrule are_we_done
   ?ctx <- (context (state check_done))
   (last_seat (seat ?l))
   (seating (seat2 ?l))
   =>
   (modify ?ctx (state print_results)))

(defrule continue
   ?ctx <- (context (state check_done))
   =>
   (modify ?ctx (state assign_seats)))

(defrule print_results
   (context (state print_results))
   (seating (id ?id) (seat2 ?l))
   (last_seat (seat ?l))
   ?p <- (path (id ?id) (name ?n) (seat ?s))
   =>
   (retract ?p)
   (printout t "SEAT " ?s " " ?n crlf))

(defrule all_done
   (context (state print_results))
   =>
   (halt))
