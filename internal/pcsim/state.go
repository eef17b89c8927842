package pcsim

import (
	"slices"
	"strconv"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// customerState is one customer tenant as the simulator knows it.
type customerState struct {
	customer  pc.Customer // never holds userCredentials: they are returned once, at creation
	createdAt time.Time
	// existing marks a tenant added with AddExistingTenant: it is listed only once it accepted
	// the relationship request, and it has no account validation status (404 600074).
	existing             bool
	relationshipAccepted bool
	defaultGDAP          bool
	// validation is the account validation status; "" means the customer has none.
	validation        string
	validationUpdated time.Time
	reviewSince       time.Time
	agreements        []pc.Agreement
	directSigned      bool
	// cannotSignDirectly is the M9 customer: its own acceptance in the admin center never
	// succeeds, so isSigned stays false whatever DirectSignDelay says.
	cannotSignDirectly bool
	// reacceptanceEnforced: the clock is past wire.LegacyAttestationRetiredAt, so agreements
	// dated before wire.ReacceptanceCutoff no longer count (M12).
	reacceptanceEnforced bool
	qualifications       []pc.Qualification
	costPolicy           *pc.CostManagementPolicy
}

// visible reports whether the partner sees the customer through the API.
func (c *customerState) visible() bool { return !c.existing || c.relationshipAccepted }

// setValidation records a new account validation status at t.
func (c *customerState) setValidation(status string, t time.Time) {
	c.validation, c.validationUpdated = status, t
	if status == pc.AccountStatusUnderReview {
		c.reviewSince = t
	}
}

// settle applies the clock-driven verification and direct-signing transitions.
func (c *customerState) settle(cfg Config, now time.Time) {
	reviewEnds := c.reviewSince.Add(cfg.VerificationDelay)
	if c.validation == pc.AccountStatusUnderReview && !cfg.ManualVerification && !now.Before(reviewEnds) {
		c.setValidation(pc.AccountStatusAllowed, reviewEnds)
	}
	if c.signsDirectlyAutomatically(cfg) && !now.Before(c.createdAt.Add(cfg.DirectSignDelay)) {
		c.directSigned = true
	}
	c.settleReacceptance(now)
}

// signsDirectlyAutomatically reports whether a DirectSignDelay signature is still ahead.
func (c *customerState) signsDirectlyAutomatically(cfg Config) bool {
	return !c.directSigned && !c.cannotSignDirectly && cfg.DirectSignDelay >= 0
}

// nextEvent is the end of an automatic review or the direct signature, whichever comes first.
func (c *customerState) nextEvent(cfg Config) (time.Time, bool) {
	events := c.reacceptanceEvent()
	if c.validation == pc.AccountStatusUnderReview && !cfg.ManualVerification {
		events = append(events, c.reviewSince.Add(cfg.VerificationDelay))
	}
	if c.signsDirectlyAutomatically(cfg) {
		events = append(events, c.createdAt.Add(cfg.DirectSignDelay))
	}
	return earliest(events)
}

// earliest returns the minimum of events; ok is false for none.
func earliest(events []time.Time) (time.Time, bool) {
	if len(events) == 0 {
		return time.Time{}, false
	}
	first := events[0]
	for _, t := range events[1:] {
		if t.Before(first) {
			first = t
		}
	}
	return first, true
}

// blockCode is the order/subscription-change gate: "" when transactions are allowed (Allowed or
// no status), else 800075 for NotAllowed and 800073 for UnderReview, Unknown and "Not Ready".
func (c *customerState) blockCode() string {
	switch c.validation {
	case "", pc.AccountStatusAllowed:
		return ""
	case pc.AccountStatusNotAllowed:
		return pc.CodeCustomerNotApproved
	default:
		return pc.CodeCustomerUnderReview
	}
}

// hasMCA reports whether purchases pass the MCA gate: a partner attestation that counts (M12)
// or a direct signature.
func (c *customerState) hasMCA() bool {
	if c.directSigned {
		return true
	}
	return slices.ContainsFunc(c.agreements, c.counts)
}

// Reseller describes an indirect reseller for RegisterReseller. Any numeric MPN id that was not
// registered is an enrolled, migrated CSP indirect reseller with a signed MPA.
type Reseller struct {
	// MPNID is the reseller's MPN (partner) id.
	MPNID string `json:"mpnId"`
	// TenantID is the reseller's tenant id (the AssociatedPartnerId of its customers).
	TenantID string `json:"tenantId,omitempty"`
	// Name is the reseller's company name.
	Name string `json:"name,omitempty"`
	// NotMigrated makes the agreement-status check fail with 2200.
	NotMigrated bool `json:"notMigrated,omitempty"`
	// MPAUnsigned makes the agreement-status check fail with 2203.
	MPAUnsigned bool `json:"mpaUnsigned,omitempty"`
	// NotCSPReseller makes the agreement-status check fail with 2204.
	NotCSPReseller bool `json:"notCspReseller,omitempty"`
}

// enrolled reports whether the reseller passes the agreement-status check.
func (r Reseller) enrolled() bool { return !r.NotMigrated && !r.MPAUnsigned && !r.NotCSPReseller }

// resellerState is a reseller and its partnership with the provider.
type resellerState struct {
	Reseller
	checked   bool
	checkedAt time.Time
	active    bool
	// removed stops the acceptance delay from re-activating a removed partnership.
	removed bool
}

// settle activates the partnership PartnershipAcceptDelay after the first successful MPN check.
func (r *resellerState) settle(cfg Config, now time.Time) {
	if r.active || r.removed || !r.checked || !r.enrolled() || cfg.PartnershipAcceptDelay < 0 {
		return
	}
	if !now.Before(r.checkedAt.Add(cfg.PartnershipAcceptDelay)) {
		r.active = true
	}
}

// nextEvent is the partnership acceptance, if one is pending.
func (r *resellerState) nextEvent(cfg Config) (time.Time, bool) {
	pending := !r.active && !r.removed && r.checked && r.enrolled() && cfg.PartnershipAcceptDelay >= 0
	return r.checkedAt.Add(cfg.PartnershipAcceptDelay), pending
}

// relationship renders the reseller as a relationships-list item.
func (r *resellerState) relationship() pc.PartnerRelationship {
	return pc.PartnerRelationship{
		ID: r.TenantID, Name: r.Name, RelationshipType: pc.RelationshipTypeIndirectCSPOf,
		State: pc.RelationshipStateActive, MpnID: r.MPNID, Location: "US",
		Attributes: pc.Attributes{ObjectType: pc.ObjectTypePartnerRelationship},
	}
}

// orderState is one order.
type orderState struct {
	order      pc.Order
	customerID string
	createdAt  time.Time
}

// nextEvent is the completion of a pending order.
func (o *orderState) nextEvent(cfg Config) (time.Time, bool) {
	return o.createdAt.Add(cfg.OrderCompletionDelay), o.order.Status == pc.OrderStatusPending
}

// subscriptionState is one subscription with its parsed dates.
type subscriptionState struct {
	sub            pc.Subscription
	customerID     string
	commitmentEnd  time.Time
	cancelUntil    time.Time
	supportContact *pc.SupportContact
	// seats are the seat batches with their return windows (refunds.go).
	seats []seatBatch
}

// nextEvent is the commitment end (renewal or expiry) of an active subscription.
func (sub *subscriptionState) nextEvent(Config) (time.Time, bool) {
	return sub.commitmentEnd, sub.sub.Status == pc.SubscriptionStatusActive
}

// Notice is an e-mail the simulated Partner Center sends (M5: the notice to the customer's
// primary contact after a partner attestation).
type Notice struct {
	// CustomerID is the customer the notice is about.
	CustomerID string `json:"customerId"`
	// To is the recipient (the attestation's primary contact e-mail).
	To string `json:"to"`
	// Subject is the e-mail subject.
	Subject string `json:"subject"`
	// SentAt is when the e-mail goes out (simulated time); Outbox shows it from then on.
	SentAt time.Time `json:"sentAt"`
}

// noticeDelay is how long after an attestation the M5 notice is sent. Choice: 10 minutes.
const noticeDelay = 10 * time.Minute

// cancellationWindow is the NCE cancellation window after purchase or renewal.
const cancellationWindow = 7 * 24 * time.Hour

// addTerm adds an ISO 8601 term (P1M, P1Y, P3Y; anything else counts as P1M) to t.
func addTerm(t time.Time, term string) time.Time {
	switch term {
	case pc.TermP1Y:
		return t.AddDate(1, 0, 0)
	case pc.TermP3Y:
		return t.AddDate(3, 0, 0)
	default:
		return t.AddDate(0, 1, 0)
	}
}

// settleOrder completes a pending order OrderCompletionDelay after creation and activates its
// subscriptions. Callers hold s.mu.
func (s *Simulator) settleOrder(o *orderState, now time.Time) {
	if o.order.Status != pc.OrderStatusPending || now.Before(o.createdAt.Add(s.cfg.OrderCompletionDelay)) {
		return
	}
	o.order.Status = pc.OrderStatusCompleted
	delete(s.pendingOrders, inProgressKey(o.customerID, o.order.LineItems))
	for _, li := range o.order.LineItems {
		if sub := s.subscriptions[li.SubscriptionID]; sub != nil && sub.sub.Status == pc.SubscriptionStatusPending {
			sub.sub.Status = pc.SubscriptionStatusActive
			sub.sub.Attributes.Etag = s.newEtag()
		}
	}
}

// settleSubscription renews an active subscription at its commitment end (autoRenewEnabled,
// whatever the customer's verification state) or ends its term (est.go). Callers hold s.mu.
func (s *Simulator) settleSubscription(sub *subscriptionState, now time.Time) {
	if sub.sub.Status != pc.SubscriptionStatusActive || now.Before(sub.commitmentEnd) {
		return
	}
	if !sub.sub.AutoRenewEnabled {
		s.endTermWithoutRenewal(sub, now)
		return
	}
	for !now.Before(sub.commitmentEnd) {
		renewedAt := sub.commitmentEnd
		applyNextTerm(sub)
		sub.commitmentEnd = addTerm(renewedAt, sub.sub.TermDuration)
		sub.cancelUntil = renewedAt.Add(cancellationWindow)
		sub.sub.EffectiveStartDate = pc.FormatTime(renewedAt)
		sub.seats = nil // a renewal is one new batch of all seats
	}
	sub.sub.CommitmentEndDate = pc.FormatTime(sub.commitmentEnd)
	sub.sub.CancellationAllowedUntilDate = pc.FormatTime(sub.cancelUntil)
	sub.sub.Attributes.Etag = s.newEtag()
}

// formatInt renders n in decimal.
func formatInt(n int64) string { return strconv.FormatInt(n, 10) }
