;;; Fact loading: one template and no rule (loading.rules in CLIPS).
(deftemplate reading (slot sensor) (slot seq) (slot value) (slot note))
