package validation

import (
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/util/validation/field"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// IsNewCommerce tells a new-commerce offer (productId:skuId:availabilityId,
// bought through a cart, S6 windows apply) from a legacy one (a GUID or
// MS-AZR-..., bought with POST /orders).
func IsNewCommerce(offerID string) bool { return strings.Count(offerID, ":") == 2 }

// SubscriptionWindow is S6 at admission. On an update of a bought
// new-commerce subscription it refuses what Partner Center would refuse: a
// seat reduction beyond the seats still returnable (unless reductionsAt
// Renewal schedules it), and a cancellation (state Suspended) after the
// 7-day cancellation window, each with the date the window closed and what
// to do instead. It reads the windows from the
// object's status; where status has none Partner Center decides.
func SubscriptionWindow(newObj, oldObj *v1alpha1.Subscription, now time.Time) field.ErrorList {
	if oldObj == nil || oldObj.Status.SubscriptionID == "" || !IsNewCommerce(newObj.Spec.OfferID) {
		return nil
	}
	st := &oldObj.Status // the stored status: what Partner Center last reported
	var errs field.ErrorList
	atRenewal := newObj.Spec.ReductionsAt == v1alpha1.ReductionsAtRenewal
	if atRenewal && newObj.Spec.AutoRenew != nil && !*newObj.Spec.AutoRenew {
		errs = append(errs, field.Invalid(specPath.Child("reductionsAt"), newObj.Spec.ReductionsAt,
			"S6: changes scheduled for the renewal need autoRenew true (Partner Center renews only then)"))
	}
	if reduce := st.Quantity - newObj.Spec.Quantity; reduce > 0 && newObj.Spec.Quantity < oldObj.Spec.Quantity && !atRenewal {
		if returnable, closed := returnableSeats(st, now); reduce > returnable && !closed.IsZero() {
			errs = append(errs, field.Forbidden(specPath.Child("quantity"), fmt.Sprintf(
				"S6: %d seats cannot be returned: the 7-day window to reduce them closed on %s (%d seats are returnable now). Set spec.reductionsAt: Renewal to schedule the reduction for the renewal%s, or keep quantity %d until then.",
				reduce, stamp(closed), returnable, renewal(st), st.Quantity)))
		}
	}
	until := st.CancellationAllowedUntil
	if newObj.Spec.State == v1alpha1.SubscriptionSuspended && oldObj.Spec.State != v1alpha1.SubscriptionSuspended && until != nil && !now.Before(until.Time) {
		errs = append(errs, field.Forbidden(specPath.Child("state"), fmt.Sprintf(
			"S6: the subscription can no longer be cancelled: its 7-day cancellation window closed on %s. Cancel within 7 days after the renewal%s, or have it end at its term end (S7: set spec.autoRenew: false and spec.endOfTerm: Cancel; without endOfTerm it rolls into a paid Extended Service Term).",
			stamp(until.Time), renewal(st))))
	}
	return errs
}

// returnableSeats sums the seat batches still returnable at now and gives
// the latest date a window closed (zero when none closed yet).
func returnableSeats(st *v1alpha1.SubscriptionStatus, now time.Time) (int32, time.Time) {
	var returnable int32
	var closed time.Time
	batches := st.RefundableSeats
	if len(batches) == 0 && st.CancellationAllowedUntil != nil {
		batches = []v1alpha1.RefundableSeats{{Quantity: st.Quantity, Until: *st.CancellationAllowedUntil}}
	}
	for _, b := range batches {
		if now.Before(b.Until.Time) {
			returnable += b.Quantity
		} else if b.Until.After(closed) {
			closed = b.Until.Time
		}
	}
	if closed.IsZero() && st.CancellationAllowedUntil != nil && !now.Before(st.CancellationAllowedUntil.Time) {
		closed = st.CancellationAllowedUntil.Time
	}
	return returnable, closed
}

// renewal names the renewal date for a message (" on <date>"), when known.
func renewal(st *v1alpha1.SubscriptionStatus) string {
	if st.RenewsAt == nil {
		return ""
	}
	return " on " + stamp(st.RenewsAt.Time)
}

// stamp is a date as messages give it.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// SubscriptionDeletion is S6 for a deletion: with deletionPolicy Delete,
// deleting a new-commerce subscription cancels it, which Partner Center
// refuses after the cancellation window; the deletion is refused with the
// date it closed and the way to delete the object and keep the subscription.
// Deleting an Observe object cancels nothing (I1), so it is never refused.
func SubscriptionDeletion(s *v1alpha1.Subscription, now time.Time) field.ErrorList {
	st := &s.Status
	until := st.CancellationAllowedUntil
	if s.Spec.DeletionPolicy != v1alpha1.DeletionPolicyDelete || s.Spec.ManagementPolicy == v1alpha1.ManagementPolicyObserve || st.SubscriptionID == "" || !IsNewCommerce(s.Spec.OfferID) ||
		st.RemoteStatus != wire.SubscriptionStatusActive || until == nil || now.Before(until.Time) {
		return nil
	}
	return field.ErrorList{field.Forbidden(specPath.Child("deletionPolicy"), fmt.Sprintf(
		"S6: deleting this object would cancel subscription %s, but its 7-day cancellation window closed on %s. Set deletionPolicy: Orphan to delete the object and keep the subscription, or cancel within 7 days after the renewal%s.",
		st.SubscriptionID, stamp(until.Time), renewal(st)))}
}
