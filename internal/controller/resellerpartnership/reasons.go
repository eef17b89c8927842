package resellerpartnership

import "github.com/cspforge/partnercenter-operator/internal/status"

// Reasons a ResellerPartnership reports. The class picks what happens next:
// Settled objects resync, RetrySlow ones are polled with a growing jittered
// delay, NeedsUser ones are Stalled until their spec (or an annotation, after
// the reseller fixed its enrolment) changes.
var (
	// ReasonMPNIDInvalid: Partner Center says the MPN ID is invalid or not
	// migrated (2200) (R1); check the reseller's Partner Location Account MPN ID.
	ReasonMPNIDInvalid = status.Reason{Name: "MPNIDInvalid", Class: status.NeedsUser}
	// ReasonCSPRegionMismatch: the reseller is enrolled in CSP in another
	// region than the provider (2201) (R1).
	ReasonCSPRegionMismatch = status.Reason{Name: "CSPRegionMismatch", Class: status.NeedsUser}
	// ReasonMPANotSigned: the reseller has not signed the Microsoft Partner
	// Agreement (2203, or isAgreementSigned false) (R1).
	ReasonMPANotSigned = status.Reason{Name: "MPANotSigned", Class: status.NeedsUser}
	// ReasonNotIndirectReseller: the MPN ID is not enrolled in CSP as an
	// indirect reseller (2204) (R1).
	ReasonNotIndirectReseller = status.Reason{Name: "NotIndirectReseller", Class: status.NeedsUser}
	// ReasonResellerEmailMissing: the reseller is not in the indirect
	// resellers list and spec.resellerEmail is empty, so there is no one to
	// send the partnership request to (R2); set it.
	ReasonResellerEmailMissing = status.Reason{Name: "ResellerEmailMissing", Class: status.NeedsUser}
	// ReasonInvitationURLMissing: the reseller is not in the indirect
	// resellers list and the operator has no invitation link to request the
	// partnership with (R2); start it with --reseller-invitation-url.
	ReasonInvitationURLMissing = status.Reason{Name: "InvitationURLMissing", Class: status.NeedsUser}
	// ReasonAwaitingAcceptance: the partnership request (link and e-mail
	// draft in status) is out; the indirect resellers list is polled until
	// the reseller accepts (R2).
	ReasonAwaitingAcceptance = status.Reason{Name: "AwaitingAcceptance", Class: status.RetrySlow}
	// ReasonTenantIDMismatch: spec.resellerTenantID differs from the tenant ID
	// the indirect resellers list shows for the MPN ID; fix or remove it.
	ReasonTenantIDMismatch = status.Reason{Name: "TenantIDMismatch", Class: status.NeedsUser}
	// ReasonActive: the reseller is in the indirect resellers list; Customers
	// and Subscriptions may name this partnership (R3, R4, R5).
	ReasonActive = status.Reason{Name: "Active", Class: status.Settled}
	// ReasonRemovalConfirmationRequired: a removal is requested but
	// spec.removalConfirmation is empty (R6); set it, or take the request back.
	ReasonRemovalConfirmationRequired = status.Reason{Name: "RemovalConfirmationRequired", Class: status.NeedsUser}
	// ReasonRemovalConfirmed: spec.removalConfirmation is set for the requested removal (R6).
	ReasonRemovalConfirmed = status.Reason{Name: "RemovalConfirmed", Class: status.Settled}
	// ReasonRemovalPending: the removal is confirmed; no API removes a
	// partnership, so a person ends it in the Partner Center portal (steps in
	// the message) while the list is polled (R6).
	ReasonRemovalPending = status.Reason{Name: "RemovalPending", Class: status.RetrySlow}
	// ReasonRemoved: the reseller is no longer in the indirect resellers list (R6).
	ReasonRemoved = status.Reason{Name: "Removed", Class: status.Settled}
)

// Event reasons: one per transition a person may want to see in `kubectl describe`.
const (
	// EventPartnershipRequested: the invitation link and e-mail draft are in
	// status; send the e-mail to the reseller (R2).
	EventPartnershipRequested = "PartnershipRequested"
	// EventActive: the reseller accepted and is in the indirect resellers list (R2).
	EventActive = "Active"
	// EventRemovalPending: the removal is confirmed; the note lists the portal steps (R6).
	EventRemovalPending = "RemovalPending"
	// EventRemoved: the reseller has left the indirect resellers list (R6).
	EventRemoved = "Removed"
	// EventOrphaned: the object was deleted with deletionPolicy Orphan; the
	// partnership is left as it is.
	EventOrphaned = "Orphaned"
)
