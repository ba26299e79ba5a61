;;; korea_scenarios.rules in CLIPS: the rules/korea argument with a scenario slot on
;;; every template, joined on ?s in every rule. Booleans are the symbols true / false.

(deftemplate offer (slot scenario) (slot kind) (slot by (default US))
   (slot legally_binding (default false)) (slot unilateral (default false))
   (slot conditional_on (default none)) (slot timing (default opening)))
(deftemplate prior_offer (slot scenario) (slot kind) (slot rejected (default true)))
(deftemplate dprk_response (slot scenario) (slot offer_kind) (slot accepted))
(deftemplate regime_trait (slot scenario) (slot trait))
(deftemplate actor (slot scenario) (slot name) (slot capital)
   (slot unsc_permanent (default false)) (slot holds_veto (default false))
   (slot hostile_to_alliance (default false)))
(deftemplate grievance (slot scenario) (slot element))
(deftemplate removed_by_agreement (slot scenario) (slot element))
(deftemplate reciprocal_step (slot scenario) (slot kind) (slot verified (default false)))
(deftemplate stakes (slot scenario) (slot world_wants_agreement) (slot dprk_needs_agreement))

(deftemplate concessions_first (slot scenario) (slot offer))
(deftemplate burden_misplaced (slot scenario) (slot offer))
(deftemplate unlikely_to_be_accepted (slot scenario) (slot offer) (slot reason))
(deftemplate no_reason_to_trade (slot scenario) (slot offer))
(deftemplate no_good_faith_motive (slot scenario) (slot offer))
(deftemplate legal_instrument_against_alliance (slot scenario) (slot holder) (slot against))
(deftemplate unc_abolition_push (slot scenario) (slot by))
(deftemplate us_veto_expected (slot scenario) (slot against))
(deftemplate ceded_initiative (slot scenario) (slot to))
(deftemplate grievance_persists (slot scenario) (slot element))
(deftemplate peace_not_made_by_declaration (slot scenario) (slot offer))
(deftemplate weak_negotiating_position (slot scenario))
(deftemplate acceptable_settlement (slot scenario) (slot offer) (slot step))

(defrule concessions_before_negotiation
   (offer (scenario ?s) (kind ?kind) (timing opening) (conditional_on none))
   =>
   (assert (concessions_first (scenario ?s) (offer ?kind))))

(defrule burden_on_everyone_but_dprk
   (concessions_first (scenario ?s) (offer ?kind))
   =>
   (assert (burden_misplaced (scenario ?s) (offer ?kind))))

(defrule similar_offers_were_rejected
   (offer (scenario ?s) (kind ?kind))
   (prior_offer (scenario ?s) (kind ?kind) (rejected true))
   =>
   (assert (unlikely_to_be_accepted (scenario ?s) (offer ?kind) (reason prior_rejection))))

(defrule peace_threatens_regime_legitimacy
   (offer (scenario ?s) (kind ?kind&end_of_war_declaration|peace_treaty))
   (regime_trait (scenario ?s) (trait legitimacy_from_external_enmity))
   =>
   (assert (unlikely_to_be_accepted (scenario ?s) (offer ?kind) (reason threatens_legitimacy))))

(defrule declaration_only_acknowledges_1953
   (offer (scenario ?s) (kind end_of_war_declaration) (legally_binding false))
   =>
   (assert (no_reason_to_trade (scenario ?s) (offer end_of_war_declaration))))

(defrule accepted_treaty_removes_good_faith_motive
   (offer (scenario ?s) (kind peace_treaty) (legally_binding true) (unilateral true))
   (dprk_response (scenario ?s) (offer_kind peace_treaty) (accepted true))
   =>
   (assert (no_good_faith_motive (scenario ?s) (offer peace_treaty))))

(defrule treaty_is_legal_instrument
   (offer (scenario ?s) (kind peace_treaty) (legally_binding true) (unilateral true))
   (dprk_response (scenario ?s) (offer_kind peace_treaty) (accepted true))
   (not (reciprocal_step (scenario ?s) (verified true)))
   =>
   (assert (legal_instrument_against_alliance (scenario ?s) (holder DPRK) (against us_alliance))))

(defrule hostile_permanent_members_push_unc_abolition
   (legal_instrument_against_alliance (scenario ?s) (holder DPRK))
   (actor (scenario ?s) (name ?state) (unsc_permanent true) (hostile_to_alliance true))
   =>
   (assert (unc_abolition_push (scenario ?s) (by ?state))))

(defrule us_vetoes_abolition
   (unc_abolition_push (scenario ?s) (by ?state))
   (actor (scenario ?s) (name US) (holds_veto true))
   =>
   (assert (us_veto_expected (scenario ?s) (against ?state))))

(defrule initiative_ceded_to_pyongyang
   (legal_instrument_against_alliance (scenario ?s) (holder DPRK))
   (exists (unc_abolition_push (scenario ?s)))
   =>
   (assert (ceded_initiative (scenario ?s) (to Pyongyang))))

(defrule initiative_ceded_to_beijing
   (unc_abolition_push (scenario ?s) (by ?state))
   (actor (scenario ?s) (name ?state) (capital Beijing))
   =>
   (assert (ceded_initiative (scenario ?s) (to Beijing))))

(defrule hostile_policy_grievance_persists
   (offer (scenario ?s) (kind peace_treaty) (unilateral true))
   (grievance (scenario ?s) (element ?element))
   (not (removed_by_agreement (scenario ?s) (element ?element)))
   =>
   (assert (grievance_persists (scenario ?s) (element ?element))))

(defrule unilateral_declaration_does_not_make_peace
   (offer (scenario ?s) (kind end_of_war_declaration) (unilateral true))
   =>
   (assert (peace_not_made_by_declaration (scenario ?s) (offer end_of_war_declaration))))

(defrule world_wants_it_more
   (stakes (scenario ?s) (world_wants_agreement true) (dprk_needs_agreement false))
   =>
   (assert (weak_negotiating_position (scenario ?s))))

(defrule reciprocal_verified_settlement
   (offer (scenario ?s) (kind ?kind) (unilateral false) (conditional_on ?step&~none) (timing final))
   (reciprocal_step (scenario ?s) (kind ?step) (verified true))
   =>
   (assert (acceptable_settlement (scenario ?s) (offer ?kind) (step ?step))))
