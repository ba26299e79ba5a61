;;; Monkey and bananas: the classic goal-driven planning problem, written in the
;;; style of the CLIPS "mab" example (goals as facts, subgoals asserted under `not`,
;;; state changed with modify, finished goals retracted). The world is our own.
;;; Mirror of program.rules: same templates, slots, facts and rules.

(deftemplate monkey
   (slot location (type SYMBOL) (default l1))
   (slot on_top_of (type SYMBOL) (default floor))
   (slot holding (type SYMBOL) (default blank)))

(deftemplate thing
   (slot name (type SYMBOL))
   (slot location (type SYMBOL))
   (slot on_top_of (type SYMBOL) (default floor))
   (slot weight (type SYMBOL) (default light)))

(deftemplate chest
   (slot name (type SYMBOL))
   (slot contents (type SYMBOL))
   (slot unlocked_by (type SYMBOL)))

(deftemplate goal_is_to
   (slot action (type SYMBOL))
   (slot target (type SYMBOL) (default none))
   (slot location (type SYMBOL) (default none)))

(deftemplate event
   (slot step (type INTEGER))
   (slot what (type STRING)))

(deftemplate clock
   (slot next (type INTEGER)))

(deffacts world
   (clock (next 1))
   (monkey (location l1) (on_top_of sofa) (holding blank))
   (thing (name sofa) (location l1) (weight heavy))
   (thing (name armchair) (location l3) (weight heavy))
   (thing (name crate) (location l3) (on_top_of armchair))
   (chest (name crate) (contents ladder) (unlocked_by brass_key))
   (thing (name safe) (location l6) (on_top_of ceiling))
   (chest (name safe) (contents bananas) (unlocked_by silver_key))
   (thing (name bookcase) (location l8) (weight heavy))
   (thing (name strongbox) (location l8) (on_top_of ceiling))
   (chest (name strongbox) (contents silver_key) (unlocked_by brass_key))
   (thing (name brass_key) (location l2))
   (goal_is_to (action eat) (target bananas)))

;;; Goals that are already satisfied go first.

(defrule already_moved_object
   (declare (salience 10))
   ?goal <- (goal_is_to (action move) (target ?obj) (location ?place))
   (thing (name ?obj) (location ?place))
   =>
   (retract ?goal))

(defrule already_at_place
   (declare (salience 10))
   ?goal <- (goal_is_to (action walk_to) (location ?place))
   (monkey (location ?place))
   =>
   (retract ?goal))

(defrule already_on_object
   (declare (salience 10))
   ?goal <- (goal_is_to (action on) (target ?obj))
   (monkey (on_top_of ?obj))
   =>
   (retract ?goal))

;;; Unlocking a chest.

(defrule hold_chest_to_put_on_floor
   (goal_is_to (action unlock) (target ?chest))
   (thing (name ?chest) (on_top_of ~floor) (weight light))
   (monkey (holding ~?chest))
   (not (goal_is_to (action hold) (target ?chest)))
   =>
   (assert (goal_is_to (action hold) (target ?chest))))

(defrule put_chest_on_floor
   (goal_is_to (action unlock) (target ?chest))
   ?monkey <- (monkey (location ?place) (holding ?chest))
   ?thing <- (thing (name ?chest))
   ?clock <- (clock (next ?n))
   =>
   (modify ?monkey (holding blank))
   (modify ?thing (location ?place) (on_top_of floor))
   (assert (event (step ?n) (what (str-cat "puts " ?chest " on the floor"))))
   (modify ?clock (next (+ ?n 1))))

(defrule get_key_to_unlock
   (goal_is_to (action unlock) (target ?obj))
   (thing (name ?obj) (on_top_of floor))
   (chest (name ?obj) (unlocked_by ?key))
   (monkey (holding ~?key))
   (not (goal_is_to (action hold) (target ?key)))
   =>
   (assert (goal_is_to (action hold) (target ?key))))

(defrule move_to_chest_with_key
   (goal_is_to (action unlock) (target ?chest))
   (monkey (location ?mplace) (holding ?key))
   (thing (name ?chest) (location ?cplace&~?mplace) (on_top_of floor))
   (chest (name ?chest) (unlocked_by ?key))
   (not (goal_is_to (action walk_to) (location ?cplace)))
   =>
   (assert (goal_is_to (action walk_to) (location ?cplace))))

(defrule unlock_chest_with_key
   ?goal <- (goal_is_to (action unlock) (target ?name))
   ?chest <- (chest (name ?name) (contents ?contents) (unlocked_by ?key))
   (thing (name ?name) (location ?place) (on_top_of ?on))
   (monkey (location ?place) (on_top_of ?on) (holding ?key))
   ?clock <- (clock (next ?n))
   =>
   (assert (thing (name ?contents) (location ?place) (on_top_of ?name)))
   (modify ?chest (contents nothing))
   (retract ?goal)
   (assert (event (step ?n) (what (str-cat "opens " ?name " with " ?key))))
   (modify ?clock (next (+ ?n 1))))

;;; Holding an object.

(defrule unlock_chest_to_hold_object
   (goal_is_to (action hold) (target ?obj))
   (chest (name ?chest) (contents ?obj))
   (not (goal_is_to (action unlock) (target ?chest)))
   =>
   (assert (goal_is_to (action unlock) (target ?chest))))

(defrule use_ladder_to_hold
   (goal_is_to (action hold) (target ?obj))
   (thing (name ?obj) (location ?place) (on_top_of ceiling) (weight light))
   (not (thing (name ladder) (location ?place)))
   (not (goal_is_to (action move) (target ladder) (location ?place)))
   =>
   (assert (goal_is_to (action move) (target ladder) (location ?place))))

(defrule climb_ladder_to_hold
   (goal_is_to (action hold) (target ?obj))
   (thing (name ?obj) (location ?place) (on_top_of ceiling) (weight light))
   (thing (name ladder) (location ?place) (on_top_of floor))
   (monkey (on_top_of ~ladder))
   (not (goal_is_to (action on) (target ladder)))
   =>
   (assert (goal_is_to (action on) (target ladder))))

(defrule grab_object_from_ladder
   ?goal <- (goal_is_to (action hold) (target ?name))
   ?thing <- (thing (name ?name) (location ?place) (on_top_of ceiling) (weight light))
   (thing (name ladder) (location ?place))
   ?monkey <- (monkey (location ?place) (on_top_of ladder) (holding blank))
   ?clock <- (clock (next ?n))
   =>
   (modify ?thing (location held) (on_top_of held))
   (modify ?monkey (holding ?name))
   (retract ?goal)
   (assert (event (step ?n) (what (str-cat "grabs " ?name " from the ladder"))))
   (modify ?clock (next (+ ?n 1))))

(defrule climb_to_hold
   (goal_is_to (action hold) (target ?obj))
   (thing (name ?obj) (location ?place) (on_top_of ?on&~ceiling) (weight light))
   (monkey (location ?place) (on_top_of ~?on))
   (not (goal_is_to (action on) (target ?on)))
   =>
   (assert (goal_is_to (action on) (target ?on))))

(defrule walk_to_hold
   (goal_is_to (action hold) (target ?obj))
   (thing (name ?obj) (location ?place) (on_top_of ~ceiling) (weight light))
   (monkey (location ~?place))
   (not (goal_is_to (action walk_to) (location ?place)))
   =>
   (assert (goal_is_to (action walk_to) (location ?place))))

(defrule drop_to_hold
   (goal_is_to (action hold) (target ?obj))
   (thing (name ?obj) (location ?place) (on_top_of ?on) (weight light))
   (monkey (location ?place) (on_top_of ?on) (holding ~blank))
   (not (goal_is_to (action hold) (target blank)))
   =>
   (assert (goal_is_to (action hold) (target blank))))

(defrule grab_object
   ?goal <- (goal_is_to (action hold) (target ?name))
   ?thing <- (thing (name ?name) (location ?place) (on_top_of ?on) (weight light))
   ?monkey <- (monkey (location ?place) (on_top_of ?on) (holding blank))
   ?clock <- (clock (next ?n))
   =>
   (modify ?thing (location held) (on_top_of held))
   (modify ?monkey (holding ?name))
   (retract ?goal)
   (assert (event (step ?n) (what (str-cat "grabs " ?name))))
   (modify ?clock (next (+ ?n 1))))

(defrule drop_object
   ?goal <- (goal_is_to (action hold) (target blank))
   ?monkey <- (monkey (location ?place) (on_top_of ?on) (holding ?name&~blank))
   ?thing <- (thing (name ?name))
   ?clock <- (clock (next ?n))
   =>
   (modify ?monkey (holding blank))
   (modify ?thing (location ?place) (on_top_of ?on))
   (retract ?goal)
   (assert (event (step ?n) (what (str-cat "drops " ?name))))
   (modify ?clock (next (+ ?n 1))))

;;; Moving an object.

(defrule unlock_chest_to_move_object
   (goal_is_to (action move) (target ?obj))
   (chest (name ?chest) (contents ?obj))
   (not (goal_is_to (action unlock) (target ?chest)))
   =>
   (assert (goal_is_to (action unlock) (target ?chest))))

(defrule hold_object_to_move
   (goal_is_to (action move) (target ?obj) (location ?place))
   (thing (name ?obj) (location ~?place) (weight light))
   (monkey (holding ~?obj))
   (not (goal_is_to (action hold) (target ?obj)))
   =>
   (assert (goal_is_to (action hold) (target ?obj))))

(defrule move_object_to_place
   (goal_is_to (action move) (target ?obj) (location ?place))
   (monkey (location ~?place) (holding ?obj))
   (not (goal_is_to (action walk_to) (location ?place)))
   =>
   (assert (goal_is_to (action walk_to) (location ?place))))

(defrule drop_object_once_moved
   ?goal <- (goal_is_to (action move) (target ?name) (location ?place))
   ?monkey <- (monkey (location ?place) (holding ?name))
   ?thing <- (thing (name ?name) (weight light))
   ?clock <- (clock (next ?n))
   =>
   (modify ?monkey (holding blank))
   (modify ?thing (location ?place) (on_top_of floor))
   (retract ?goal)
   (assert (event (step ?n) (what (str-cat "sets " ?name " down at " ?place))))
   (modify ?clock (next (+ ?n 1))))

;;; Walking.

(defrule get_on_floor_to_walk
   (goal_is_to (action walk_to) (location ?place))
   (monkey (location ~?place) (on_top_of ~floor))
   (not (goal_is_to (action on) (target floor)))
   =>
   (assert (goal_is_to (action on) (target floor))))

(defrule walk_holding_nothing
   ?goal <- (goal_is_to (action walk_to) (location ?place))
   ?monkey <- (monkey (location ~?place) (on_top_of floor) (holding blank))
   ?clock <- (clock (next ?n))
   =>
   (modify ?monkey (location ?place))
   (retract ?goal)
   (assert (event (step ?n) (what (str-cat "walks to " ?place))))
   (modify ?clock (next (+ ?n 1))))

(defrule walk_holding_object
   ?goal <- (goal_is_to (action walk_to) (location ?place))
   ?monkey <- (monkey (location ~?place) (on_top_of floor) (holding ?obj&~blank))
   ?clock <- (clock (next ?n))
   =>
   (modify ?monkey (location ?place))
   (retract ?goal)
   (assert (event (step ?n) (what (str-cat "carries " ?obj " to " ?place))))
   (modify ?clock (next (+ ?n 1))))

;;; Getting on an object.

(defrule jump_onto_floor
   ?goal <- (goal_is_to (action on) (target floor))
   ?monkey <- (monkey (on_top_of ?on&~floor))
   ?clock <- (clock (next ?n))
   =>
   (modify ?monkey (on_top_of floor))
   (retract ?goal)
   (assert (event (step ?n) (what (str-cat "jumps off " ?on))))
   (modify ?clock (next (+ ?n 1))))

(defrule walk_to_place_to_climb
   (goal_is_to (action on) (target ?obj))
   (thing (name ?obj) (location ?place))
   (monkey (location ~?place))
   (not (goal_is_to (action walk_to) (location ?place)))
   =>
   (assert (goal_is_to (action walk_to) (location ?place))))

(defrule drop_to_climb
   (goal_is_to (action on) (target ?obj))
   (thing (name ?obj) (location ?place))
   (monkey (location ?place) (holding ~blank))
   (not (goal_is_to (action hold) (target blank)))
   =>
   (assert (goal_is_to (action hold) (target blank))))

(defrule climb_indirectly
   (goal_is_to (action on) (target ?obj))
   (thing (name ?obj) (location ?place) (on_top_of ?on))
   (monkey (location ?place) (on_top_of ~?on&~?obj) (holding blank))
   (not (goal_is_to (action on) (target ?on)))
   =>
   (assert (goal_is_to (action on) (target ?on))))

(defrule climb_directly
   ?goal <- (goal_is_to (action on) (target ?obj))
   (thing (name ?obj) (location ?place) (on_top_of ?on))
   ?monkey <- (monkey (location ?place) (on_top_of ?on) (holding blank))
   ?clock <- (clock (next ?n))
   =>
   (modify ?monkey (on_top_of ?obj))
   (retract ?goal)
   (assert (event (step ?n) (what (str-cat "climbs onto " ?obj))))
   (modify ?clock (next (+ ?n 1))))

;;; Eating.

(defrule hold_to_eat
   (goal_is_to (action eat) (target ?obj))
   (monkey (holding ~?obj))
   (not (goal_is_to (action hold) (target ?obj)))
   =>
   (assert (goal_is_to (action hold) (target ?obj))))

(defrule satisfy_hunger
   ?goal <- (goal_is_to (action eat) (target ?name))
   ?monkey <- (monkey (holding ?name))
   ?thing <- (thing (name ?name))
   ?clock <- (clock (next ?n))
   =>
   (modify ?monkey (holding blank))
   (retract ?goal)
   (retract ?thing)
   (assert (event (step ?n) (what (str-cat "eats " ?name))))
   (modify ?clock (next (+ ?n 1))))
