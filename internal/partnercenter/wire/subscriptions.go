package wire

// RefundableQuantity is how many seats of a new-commerce subscription can
// still be returned, batch by batch: each purchase or seat increase has its
// own window (allowedUntilDateTime, 168 hours after it).
type RefundableQuantity struct {
	TotalQuantity int                        `json:"totalQuantity"`
	Details       []RefundableQuantityDetail `json:"details,omitempty"`
}

// RefundableQuantityDetail is one batch of returnable seats.
type RefundableQuantityDetail struct {
	Quantity             int    `json:"quantity"`
	AllowedUntilDateTime string `json:"allowedUntilDateTime"`
}

// ScheduledAction is an action Partner Center takes on a subscription at a
// scheduled time. [inferred] The field is seen in partner code, not read in
// Microsoft documentation (2026 notes §4.4); the simulator accepts it on PATCH.
type ScheduledAction struct {
	// ScheduleType is ScheduleTypeTermEnd or "CustomDate".
	ScheduleType string `json:"scheduleType"`
	// ActionType is one of the Action* values.
	ActionType    string `json:"actionType"`
	EffectiveDate string `json:"effectiveDate,omitempty"`
}

// Scheduled action values.
const (
	// ScheduleTypeTermEnd runs the action at the end of the current term.
	ScheduleTypeTermEnd = "TermEnd"
	// ActionCancel ends the subscription (at term end: no grace period, no Extended Service Term).
	ActionCancel = "Cancel"
	// ActionRenewToExtendedServiceTerm rolls it into the Extended Service Term.
	ActionRenewToExtendedServiceTerm = "RenewToExtendedServiceTerm"
)
