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
