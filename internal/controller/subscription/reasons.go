package subscription

import (
	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// Reasons a Subscription reports. The class picks what happens next: Settled
// objects resync (or are woken by what they watch), RetryFast/RetrySlow ones
// are polled, NeedsUser ones are Stalled until their spec (or something they
// watch) changes.
var (
	// ReasonCustomerNotCreated: the order gate (S4) waits for the referenced
	// Customer to exist in Partner Center. The Customer watch wakes the
	// Subscription; it is not polled.
	ReasonCustomerNotCreated = status.Reason{Name: v1alpha1.ReasonCustomerNotCreated, Class: status.Settled}
	// ReasonCustomerNotApproved: the order gate (S4) waits for the customer's
	// account to be Approved (C10). Woken by the Customer watch.
	ReasonCustomerNotApproved = status.Reason{Name: v1alpha1.ReasonCustomerNotApproved, Class: status.Settled}
	// ReasonAgreementNotAccepted: the order gate (S4) waits for the customer's
	// MCA acceptance to be confirmed (M7, M10). Woken by the MCAAttestation and
	// Customer watches.
	ReasonAgreementNotAccepted = status.Reason{Name: v1alpha1.ReasonAgreementNotAccepted, Class: status.Settled}
	// ReasonResellerPartnershipNotActive: the order gate (S4) waits for a named
	// reseller partnership to be Active (R1, R3). Woken by the
	// ResellerPartnership watch.
	ReasonResellerPartnershipNotActive = status.Reason{Name: v1alpha1.ReasonResellerPartnershipNotActive, Class: status.Settled}
	// ReasonRefusedCustomerNotApproved: Partner Center itself refused the
	// order because the customer is under review or not approved (800073-75),
	// although the Customer object did not say so yet; the order is retried
	// with a growing delay (C10).
	ReasonRefusedCustomerNotApproved = status.Reason{Name: v1alpha1.ReasonCustomerNotApproved, Class: status.RetrySlow}
	// ReasonRefusedAgreementMissing: Partner Center itself refused the order
	// because no MCA acceptance is confirmed (13605); retried with a growing
	// delay (M10).
	ReasonRefusedAgreementMissing = status.Reason{Name: v1alpha1.ReasonAgreementNotAccepted, Class: status.RetrySlow}
	// ReasonOrderAllowed: every check of the order gate passed (OrderBlocked=False).
	ReasonOrderAllowed = status.Reason{Name: "OrderAllowed", Class: status.Settled}
	// ReasonOrdering: the order intent (its MS-RequestId) is persisted and the
	// order call is under way or being replayed after a transient failure (S2).
	ReasonOrdering = status.Reason{Name: "Ordering", Class: status.RetryFast}
	// ReasonOrderPending: Partner Center accepted the order and it is pending;
	// polled until it completes.
	ReasonOrderPending = status.Reason{Name: "OrderPending", Class: status.RetrySlow}
	// ReasonOrderInProgress: Partner Center answered 409 800060 (an order for
	// this offer is in progress) and the order is being looked up, never
	// resubmitted (S2).
	ReasonOrderInProgress = status.Reason{Name: "OrderInProgress", Class: status.RetrySlow}
	// ReasonOrderRefused: Partner Center refused the order; its message says
	// what to change. Nothing is ordered again until the spec changes.
	ReasonOrderRefused = status.Reason{Name: "OrderRefused", Class: status.NeedsUser}
	// ReasonOrdered: the order completed and the subscription exists.
	ReasonOrdered = status.Reason{Name: "Ordered", Class: status.Settled}
	// ReasonCustomerReverificationInProgress: quantity, auto-renew and state
	// changes are held while the customer is not Approved (C10, S5); they are
	// applied once it is approved again. Renewals go on meanwhile.
	ReasonCustomerReverificationInProgress = status.Reason{Name: "CustomerReverificationInProgress", Class: status.RetrySlow}
	// ReasonChangesAllowed: no change to the subscription is held (ChangesBlocked=False).
	ReasonChangesAllowed = status.Reason{Name: "ChangesAllowed", Class: status.Settled}
	// ReasonChangeAccepted: Partner Center accepted a change (202) and applies it
	// asynchronously; the subscription is read again shortly.
	ReasonChangeAccepted = status.Reason{Name: "ChangeAccepted", Class: status.RetryFast}
	// ReasonChangeRefused: Partner Center refused a change to the subscription
	// (for example a seat decrease or cancellation after the cancellation
	// window); nothing is sent again until the spec changes.
	ReasonChangeRefused = status.Reason{Name: "ChangeRefused", Class: status.NeedsUser}
	// ReasonSubscriptionEnded: the subscription expired or was cancelled in
	// Partner Center while the spec wants it Active; create a new Subscription
	// object to buy it again.
	ReasonSubscriptionEnded = status.Reason{Name: "SubscriptionEnded", Class: status.NeedsUser}
	// ReasonDriftCorrected: the last reconcile found a quantity, auto-renew or
	// state changed outside the operator and set it back to the spec (Synced=False
	// until the next resync finds Partner Center in line).
	ReasonDriftCorrected = status.Reason{Name: "DriftCorrected", Class: status.Settled}
	// ReasonCancelRefused: deletionPolicy is Delete and Partner Center refused to
	// cancel the subscription (outside the cancellation window); set
	// deletionPolicy to Orphan to delete the object and keep the subscription.
	ReasonCancelRefused = status.Reason{Name: "CancelRefused", Class: status.NeedsUser}
	// ReasonAdopted: spec.subscriptionID named an existing subscription of the
	// customer for the offer; it was adopted, never ordered (I1).
	ReasonAdopted = status.Reason{Name: "Adopted", Class: status.Settled}
	// ReasonAdoptionRefused: spec.subscriptionID names no subscription of the
	// customer, one for another offer, or one another Subscription records
	// (I1); nothing is written until the spec changes.
	ReasonAdoptionRefused = status.Reason{Name: "AdoptionRefused", Class: status.NeedsUser}
	// ReasonReady: the subscription exists and is as the spec declares.
	ReasonReady = status.Reason{Name: "Ready", Class: status.Settled}
)

// Event reasons: one per transition a person may want to see in `kubectl describe`.
const (
	// EventOrdering: an order sent before (800060) was found and recorded
	// instead of ordering again.
	EventOrdering = "Ordering"
	// EventAdopted: an existing subscription was adopted, not ordered (I1).
	EventAdopted = "Adopted"
	// EventOrdered: the order completed; the note names the offer, quantity,
	// customer, attempt, order and subscription.
	EventOrdered = "Ordered"
	// EventOrderBlocked: Partner Center refused the order with a gate error.
	EventOrderBlocked = "OrderBlocked"
	// EventUpdated: a change was applied to the existing subscription (S3).
	EventUpdated = "Updated"
	// EventDrift: a change made outside the operator was found and set back to the spec.
	EventDrift = "DriftCorrected"
	// EventSupportContactSet: the designated support contact was set (R3, R5).
	EventSupportContactSet = "SupportContactSet"
	// EventCancelled: the subscription was cancelled in Partner Center.
	EventCancelled = "Cancelled"
	// EventRefused: Partner Center refused a change or a cancellation.
	EventRefused = "Refused"
)
