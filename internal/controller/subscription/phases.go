package subscription

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// pass is what one reconcile of a live Subscription learned along the way.
type pass struct {
	*phase.Pass
	// in are the objects the Subscription references.
	in *orderInputs
	// adopted is the subscription this pass adopted, as just read (I1).
	adopted *wire.Subscription
}

// Live orders the subscription once the gate opens, then keeps it in line
// with the spec.
func (r *Reconciler) Live(ctx context.Context, s *v1alpha1.Subscription, lp *phase.Pass) (*phase.Halt, error) {
	in, err := r.orderInputs(ctx, s)
	if err != nil {
		return nil, err
	}
	p := &pass{Pass: lp, in: in}
	if h, err := r.ensureOrdered(ctx, s, p); h != nil || err != nil {
		return h, err
	}
	return phase.Steps(ctx, s, p, r.syncSubscription, r.ensureSupportContact)
}

// Validate runs the admission rules again (webhooks may be off).
func (r *Reconciler) Validate(s *v1alpha1.Subscription) *phase.Halt {
	return phase.InvalidSpec(validation.Subscription(s, r.Config))
}

// syncSubscription reads the subscription (renewals show in renewsAt), reports
// changes made outside the operator, and applies what differs from the spec
// to the existing subscription (S3) unless the customer is being verified
// again (C10, S5).
func (r *Reconciler) syncSubscription(ctx context.Context, s *v1alpha1.Subscription, p *pass) (*phase.Halt, error) {
	remote, err := p.adopted, error(nil)
	if remote == nil {
		remote, err = r.External.GetSubscription(ctx, s.Status.CustomerID, s.Status.SubscriptionID)
	}
	if partnercenter.IsNotFound(err) {
		return r.ended(s, "no longer exists"), nil
	}
	if err != nil {
		return nil, err
	}
	drift := driftOf(s.Status, &s.Spec, remote)
	r.record(s, remote)
	if endedStatus(remote.Status) && s.Spec.State != v1alpha1.SubscriptionSuspended && !endedAsChosen(&s.Spec, remote.Status) {
		return r.ended(s, "is "+remote.Status), nil
	}
	next, changes := desiredChanges(&s.Spec, partnerIDOf(s, p.in), *remote)
	if len(changes) == 0 {
		status.MarkFalse(s, v1alpha1.ConditionChangesBlocked, ReasonChangesAllowed, "No change to the subscription is pending.")
		return nil, nil
	}
	if phase.Observing(s) {
		p.ObservedDrift(strings.Join(changes, ", "))
		return nil, nil
	}
	if drift != "" {
		// Synced shows the drift until a later pass finds Partner Center in line.
		p.Drift(ReasonDriftCorrected, EventDrift, fmt.Sprintf("Changed outside the operator in Partner Center: %s; set back to the spec.", drift))
	}
	if approved, _, why := customerApproved(p.in); !approved {
		return r.holdChanges(s, changes, why), nil
	}
	if h := phase.StillRefused(s, v1alpha1.ConditionReady, ReasonChangeRefused); h != nil {
		return h, nil
	}
	return r.applyChanges(ctx, s, next, changes)
}

// holdChanges is C10/S5: while the customer is not Approved, changes to the
// existing subscription wait (ChangesBlocked=True); renewals go on and are
// read on each poll.
func (r *Reconciler) holdChanges(s *v1alpha1.Subscription, changes []string, why string) *phase.Halt {
	since := phase.WaitingSince(s, v1alpha1.ConditionReady, r.Config.Now())
	msg := fmt.Sprintf("C10: %s held while the customer is not Approved (%s); applied once it is approved again. Renewals are not affected.", strings.Join(changes, ", "), why)
	status.MarkTrue(s, v1alpha1.ConditionChangesBlocked, ReasonCustomerReverificationInProgress, msg)
	return phase.WaitFor(ReasonCustomerReverificationInProgress, since, "%s", msg)
}

// applyChanges PATCHes the full subscription with the changes (S3). The PATCH
// carries the etag just read, so a repeat after a lost answer fails as stale
// instead of applying twice; its MS-RequestId is therefore new on each call.
func (r *Reconciler) applyChanges(ctx context.Context, s *v1alpha1.Subscription, next wire.Subscription, changes []string) (*phase.Halt, error) {
	res, err := r.External.UpdateSubscription(ctx, uuid.NewString(), s.Status.CustomerID, next)
	switch {
	case partnercenter.IsCustomerNotApproved(err):
		return r.holdChanges(s, changes, "Partner Center answered "+partnercenter.ErrorCode(err)), nil
	case err != nil && phase.IsClientError(err) && !partnercenter.IsETagStale(err):
		msg := fmt.Sprintf("Partner Center refused %s: %s Change the spec to try again.", strings.Join(changes, ", "), err.Error())
		r.Event(s, corev1.EventTypeWarning, EventRefused, "%s", msg)
		return phase.WaitFor(ReasonChangeRefused, time.Time{}, "%s", msg), nil
	case err != nil:
		return nil, err
	}
	status.MarkFalse(s, v1alpha1.ConditionChangesBlocked, ReasonChangesAllowed, "No change to the subscription is pending.")
	r.Event(s, corev1.EventTypeNormal, EventUpdated, "Updated subscription %s: %s", s.Status.SubscriptionID, strings.Join(changes, ", "))
	if res.Accepted {
		return phase.WaitFor(ReasonChangeAccepted, time.Time{}, "Partner Center accepted %s and applies it; the subscription is read again shortly.", strings.Join(changes, ", ")), nil
	}
	r.record(s, res.Subscription)
	return nil, nil
}

// ended reports a subscription that ended in Partner Center while the spec wants it Active.
func (r *Reconciler) ended(s *v1alpha1.Subscription, what string) *phase.Halt {
	return phase.WaitFor(ReasonSubscriptionEnded, time.Time{},
		"Subscription %s %s in Partner Center; it cannot be changed any more: create a new Subscription object to buy the offer again.", s.Status.SubscriptionID, what)
}

// record copies what Partner Center reports into status: remote status,
// quantity, auto-renew, the term end (renewsAt: it moves on each renewal),
// the cancellation window and the partner of record. lastSyncTime moves only
// when one of them did: stamping every read would make every resync of every
// Subscription a status write.
func (r *Reconciler) record(s *v1alpha1.Subscription, remote *wire.Subscription) {
	autoRenew := remote.AutoRenewEnabled
	read := recordedRemote{
		Status:                   remote.Status,
		Quantity:                 int32(remote.Quantity),
		AutoRenew:                &autoRenew,
		RenewsAt:                 timeOf(remote.CommitmentEndDate),
		CancellationAllowedUntil: timeOf(remote.CancellationAllowedUntilDate),
		RefundableSeats:          refundableSeatsOf(remote),
		ScheduledNextTerm:        scheduledNextTermOf(remote),
		PartnerIDOnRecord:        remote.PartnerID,
	}
	if s.Status.LastSyncTime != nil && status.EqualAsStored(read, recordedOf(&s.Status)) {
		return
	}
	s.Status.RemoteStatus, s.Status.Quantity, s.Status.AutoRenew = read.Status, read.Quantity, read.AutoRenew
	s.Status.RenewsAt, s.Status.CancellationAllowedUntil = read.RenewsAt, read.CancellationAllowedUntil
	s.Status.PartnerIDOnRecord, s.Status.RefundableSeats, s.Status.ScheduledNextTerm = read.PartnerIDOnRecord, read.RefundableSeats, read.ScheduledNextTerm
	s.Status.LastSyncTime = &metav1.Time{Time: r.Config.Now()}
}

// recordedRemote is the part of status that record copies from Partner Center.
type recordedRemote struct {
	Status                   string
	Quantity                 int32
	AutoRenew                *bool
	RenewsAt                 *metav1.Time
	CancellationAllowedUntil *metav1.Time
	RefundableSeats          []v1alpha1.RefundableSeats
	ScheduledNextTerm        *v1alpha1.ScheduledNextTerm
	PartnerIDOnRecord        string
}

// recordedOf is what status recorded at the last read.
func recordedOf(st *v1alpha1.SubscriptionStatus) recordedRemote {
	return recordedRemote{
		Status: st.RemoteStatus, Quantity: st.Quantity, AutoRenew: st.AutoRenew,
		RenewsAt: st.RenewsAt, CancellationAllowedUntil: st.CancellationAllowedUntil, RefundableSeats: st.RefundableSeats,
		ScheduledNextTerm: st.ScheduledNextTerm, PartnerIDOnRecord: st.PartnerIDOnRecord,
	}
}

// timeOf parses a Partner Center date; nil when absent or unreadable.
func timeOf(s string) *metav1.Time {
	t, err := wire.ParseTime(s)
	if s == "" || err != nil {
		return nil
	}
	return &metav1.Time{Time: t}
}

// endedStatus tells whether a remote status is final: nothing can be changed any more.
func endedStatus(remote string) bool {
	switch remote {
	case wire.SubscriptionStatusDeleted, wire.SubscriptionStatusExpired, wire.SubscriptionStatusDisabled:
		return true
	}
	return false
}

// remoteStatusFor is the status Partner Center shows for a desired state:
// Suspended cancels a new-commerce subscription (status deleted) and suspends
// a legacy one.
func remoteStatusFor(spec *v1alpha1.SubscriptionSpec) string {
	if spec.State != v1alpha1.SubscriptionSuspended {
		return wire.SubscriptionStatusActive
	}
	if validation.IsNewCommerce(spec.OfferID) {
		return wire.SubscriptionStatusDeleted
	}
	return wire.SubscriptionStatusSuspended
}

// stateMatches tells whether the remote status already is the desired state.
func stateMatches(spec *v1alpha1.SubscriptionSpec, remote string) bool {
	if spec.State == v1alpha1.SubscriptionSuspended {
		return remote == wire.SubscriptionStatusSuspended || endedStatus(remote)
	}
	return remote == wire.SubscriptionStatusActive
}

// autoRenewOf is the desired auto-renew setting (default on).
func autoRenewOf(spec *v1alpha1.SubscriptionSpec) bool {
	return spec.AutoRenew == nil || *spec.AutoRenew
}

// partnerIDOf is the partner of record the spec names: the MPN ID of the
// reseller of an Active resellerRef partnership (R3, R5), or "" (kept as is).
func partnerIDOf(s *v1alpha1.Subscription, in *orderInputs) string {
	if s.Spec.ResellerRef == nil || !in.reseller.IsActive() {
		return ""
	}
	return in.reseller.Status.ResellerMPNID
}

// desiredChanges returns the subscription as the spec wants it and the
// changes that takes. A state change goes alone (Partner Center refuses a
// quantity change together with a suspension); a suspended or cancelled
// subscription takes no other change.
func desiredChanges(spec *v1alpha1.SubscriptionSpec, partnerID string, remote wire.Subscription) (wire.Subscription, []string) {
	next := remote
	if remote.Status == wire.SubscriptionStatusPending || endedAsChosen(spec, remote.Status) {
		return next, nil // not active yet, or ended as the spec chose: nothing can be changed
	}
	if !stateMatches(spec, remote.Status) {
		next.Status = remoteStatusFor(spec)
		return next, []string{fmt.Sprintf("status %s → %s", remote.Status, next.Status)}
	}
	if spec.State == v1alpha1.SubscriptionSuspended {
		return next, nil
	}
	var changes []string
	want := int(spec.Quantity)
	if spec.ReductionsAt == v1alpha1.ReductionsAtRenewal {
		want = max(want, remote.Quantity) // fewer seats wait for the renewal (nextTermChange)
	}
	if want != remote.Quantity {
		next.Quantity = want
		changes = append(changes, fmt.Sprintf("quantity %d → %d", remote.Quantity, want))
	}
	if want := autoRenewOf(spec); want != remote.AutoRenewEnabled {
		next.AutoRenewEnabled = want
		changes = append(changes, fmt.Sprintf("autoRenew %t → %t", remote.AutoRenewEnabled, want))
	}
	changes = append(changes, endOfTermChange(spec, &next)...)
	changes = append(changes, nextTermChange(spec, &next, remote)...)
	if partnerID != "" && partnerID != remote.PartnerID {
		next.PartnerID = partnerID
		changes = append(changes, fmt.Sprintf("partner of record %q → %q", remote.PartnerID, partnerID))
	}
	return next, changes
}

// controllableStatus tells whether a remote status is one the operator sets
// (so a move between two of them is someone's change, not the life cycle).
func controllableStatus(remote string) bool {
	switch remote {
	case wire.SubscriptionStatusActive, wire.SubscriptionStatusSuspended, wire.SubscriptionStatusDeleted:
		return true
	}
	return false
}

// driftOf describes what changed in Partner Center since the last read that
// the operator did not ask for: a value that moved away from the one last
// recorded and that the spec does not want either.
func driftOf(prev v1alpha1.SubscriptionStatus, spec *v1alpha1.SubscriptionSpec, remote *wire.Subscription) string {
	if prev.LastSyncTime == nil {
		return ""
	}
	var drift []string
	if q := int32(remote.Quantity); q != prev.Quantity && q != spec.Quantity {
		drift = append(drift, fmt.Sprintf("quantity %d → %d", prev.Quantity, q))
	}
	if prev.AutoRenew != nil && remote.AutoRenewEnabled != *prev.AutoRenew && remote.AutoRenewEnabled != autoRenewOf(spec) {
		drift = append(drift, fmt.Sprintf("autoRenew %t → %t", *prev.AutoRenew, remote.AutoRenewEnabled))
	}
	if remote.Status != prev.RemoteStatus && controllableStatus(prev.RemoteStatus) && controllableStatus(remote.Status) && !stateMatches(spec, remote.Status) {
		drift = append(drift, fmt.Sprintf("status %s → %s", prev.RemoteStatus, remote.Status))
	}
	return strings.Join(drift, ", ")
}

// ensureSupportContact makes the reseller of supportContactRef the designated
// support contact (R3, R5) once the subscription exists, and again when the
// reference names another reseller.
func (r *Reconciler) ensureSupportContact(ctx context.Context, s *v1alpha1.Subscription, p *pass) (*phase.Halt, error) {
	ref := s.Spec.SupportContactRef
	if ref == nil {
		return nil, nil
	}
	rp := p.in.supportContact
	if !rp.IsActive() {
		return phase.WaitFor(ReasonResellerPartnershipNotActive, time.Time{},
			"R1: waiting for ResellerPartnership %q (spec.supportContactRef) to be Active (it is %s) to make it the support contact.", ref.Name, rp.StateForHumans()), nil
	}
	if s.Status.SupportContactMPNID == rp.Status.ResellerMPNID || phase.Observing(s) {
		return nil, nil
	}
	want := wire.SupportContact{SupportTenantID: rp.Status.ResellerTenantID, SupportMpnID: rp.Status.ResellerMPNID, Name: rp.Status.ResellerName}
	set, err := r.External.UpdateSupportContact(ctx, uuid.NewString(), s.Status.CustomerID, s.Status.SubscriptionID, want)
	if err != nil {
		return nil, err
	}
	s.Status.SupportContact, s.Status.SupportContactMPNID = set.Name, set.SupportMpnID
	r.Event(s, corev1.EventTypeNormal, EventSupportContactSet, "Reseller %s (MPN ID %s) is the designated support contact", set.Name, set.SupportMpnID)
	return nil, nil
}

// readyMessage summarises a Ready Subscription for people.
func readyMessage(s *v1alpha1.Subscription) string {
	msg := fmt.Sprintf("Subscription %s: %d x %s, %s in Partner Center", s.Status.SubscriptionID, s.Status.Quantity, s.Spec.OfferID, s.Status.RemoteStatus)
	if s.Status.RenewsAt != nil && s.Status.RemoteStatus == wire.SubscriptionStatusActive {
		verb := "renews"
		if s.Status.AutoRenew != nil && !*s.Status.AutoRenew {
			verb = "ends"
		}
		msg += fmt.Sprintf("; %s at %s", verb, s.Status.RenewsAt.UTC().Format(time.RFC3339))
	}
	return msg + "."
}
