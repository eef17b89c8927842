package resellerpartnership

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// removalRequested tells whether the spec asks for the partnership's removal
// (R6). Deletion asks for it too, through DeleteRemote.
func removalRequested(rp *v1alpha1.ResellerPartnership) bool {
	return rp.Spec.State == v1alpha1.PartnershipRemoved
}

// DeleteRemote carries out the deletion policy; (nil, nil) lets the
// lifecycle release the finalizer. Orphan leaves the partnership as it is
// (the documented escape hatch); Delete, the default, goes through the
// removal (R6), which needs spec.removalConfirmation. The lifecycle runs no
// DeleteRemote for an Observe object (I1): it is released as it is.
func (r *Reconciler) DeleteRemote(ctx context.Context, rp *v1alpha1.ResellerPartnership) (*phase.Halt, error) {
	if rp.Spec.DeletionPolicy == v1alpha1.DeletionPolicyOrphan {
		r.Event(rp, corev1.EventTypeNormal, EventOrphaned,
			"Deleted with deletionPolicy Orphan: the partnership with MPN ID %s is left as it is in Partner Center", rp.Spec.ResellerMPNID)
		return nil, nil
	}
	if h := phase.DeletionPaused(rp, r.Config.Now(), "the removal asked for by the deletion goes on"); h != nil {
		return h, nil
	}
	return r.remove(ctx, rp)
}

// remove carries out a requested removal (R6); (nil, nil) means the reseller
// is not in the indirect resellers list (any more, or never was) and phase is
// Removed. A listed reseller needs spec.removalConfirmation; then, as no API removes a
// partnership, a person ends it in the portal while the list is polled.
// Customers associated with the reseller are never read or changed here.
func (r *Reconciler) remove(ctx context.Context, rp *v1alpha1.ResellerPartnership) (*phase.Halt, error) {
	listed, err := r.findReseller(ctx, rp)
	if err != nil {
		return nil, err
	}
	if listed == nil {
		r.markRemoved(rp)
		return nil, nil
	}
	if h := requireConfirmation(rp); h != nil {
		return h, nil
	}
	return r.awaitPortalRemoval(rp, *listed), nil
}

// requireConfirmation reports RemovalConfirmed: True with the confirmation,
// or False naming what is missing and how else to go on, with the Halt that
// keeps the removal from going further (R6).
func requireConfirmation(rp *v1alpha1.ResellerPartnership) *phase.Halt {
	if rp.Spec.RemovalConfirmation != "" {
		status.MarkTrue(rp, v1alpha1.ConditionRemovalConfirmed, ReasonRemovalConfirmed,
			fmt.Sprintf("The removal is confirmed: %q.", rp.Spec.RemovalConfirmation))
		return nil
	}
	asked, instead := "spec.state is Removed", "or set spec.state back to Active"
	if !rp.DeletionTimestamp.IsZero() {
		asked, instead = "the object is being deleted with deletionPolicy Delete", "or set spec.deletionPolicy to Orphan to delete this object and leave the partnership as it is"
	}
	msg := fmt.Sprintf("R6: removing the partnership with reseller MPN ID %s needs an explicit confirmation: %s but spec.removalConfirmation is empty. Set it (for example the ticket or the name of who approved the removal) to go on, %s.",
		rp.Spec.ResellerMPNID, asked, instead)
	status.MarkFalse(rp, v1alpha1.ConditionRemovalConfirmed, ReasonRemovalConfirmationRequired, msg)
	return phase.WaitFor(ReasonRemovalConfirmationRequired, time.Time{}, "%s", msg)
}

// awaitPortalRemoval is the confirmed removal of a listed reseller: phase
// RemovalPending with the portal steps (and an event the first time), polled
// until the reseller has left the list.
func (r *Reconciler) awaitPortalRemoval(rp *v1alpha1.ResellerPartnership, listed wire.PartnerRelationship) *phase.Halt {
	steps := portalSteps(listed)
	if rp.Status.Phase != v1alpha1.PhaseRemovalPending {
		r.Event(rp, corev1.EventTypeNormal, EventRemovalPending, "%s", steps)
	}
	rp.Status.Phase = v1alpha1.PhaseRemovalPending
	return phase.WaitFor(ReasonRemovalPending, since(rp, v1alpha1.ConditionRemovalConfirmed, r.Config.Now()), "%s", steps)
}

// portalSteps tells a person exactly how to end the partnership: Partner
// Center has no API for it.
func portalSteps(listed wire.PartnerRelationship) string {
	return fmt.Sprintf("R6: Partner Center has no API that removes a partnership; end it in the portal: "+
		"1. sign in to Partner Center (https://partner.microsoft.com/dashboard) as a Global admin or Admin agent of the indirect provider; "+
		"2. open Indirect resellers; "+
		"3. select %q (MPN ID %s, tenant %s); "+
		"4. end the partnership and confirm. "+
		"Customers associated with the reseller are not removed and their delegated admin privileges stay as they are; any legal notice to the reseller is the provider's. "+
		"This object becomes Removed once the reseller is no longer in the indirect resellers list.",
		listed.Name, listed.MpnID, listed.ID)
}

// markRemoved records that the reseller is not in the indirect resellers
// list: phase Removed, Active=False (R6). A confirmation still asked for is
// moot: there is no partnership left to remove.
func (r *Reconciler) markRemoved(rp *v1alpha1.ResellerPartnership) {
	if !status.IsTrue(rp, v1alpha1.ConditionRemovalConfirmed) {
		status.Remove(rp, v1alpha1.ConditionRemovalConfirmed)
	}
	if rp.Status.Phase != v1alpha1.PhaseRemoved {
		r.Event(rp, corev1.EventTypeNormal, EventRemoved, "Reseller MPN ID %s is not in the indirect resellers list: the partnership is removed", rp.Spec.ResellerMPNID)
	}
	rp.Status.Phase = v1alpha1.PhaseRemoved
	status.MarkFalse(rp, v1alpha1.ConditionActive, ReasonRemoved, "The reseller is not in the indirect resellers list.")
}

// ensureFinalizer holds the object until a deletion went through the
// deletion policy, unless the partnership is already removed as the spec asks.
func (r *Reconciler) ensureFinalizer(ctx context.Context, rp *v1alpha1.ResellerPartnership) error {
	if removalRequested(rp) && rp.Status.Phase == v1alpha1.PhaseRemoved {
		return nil
	}
	return phase.AddFinalizer(ctx, r.Client, rp)
}
