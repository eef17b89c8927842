package subscription

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	corev1 "k8s.io/api/core/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
)

// DeleteRemote carries out deletionPolicy Delete: it cancels the subscription
// (new commerce: status deleted, only inside the cancellation window the
// subscription reports) and reports Partner Center's refusal otherwise.
// Orphan (the default) leaves the subscription as it is; the lifecycle runs
// no DeleteRemote for an Observe object (I1).
func (r *Reconciler) DeleteRemote(ctx context.Context, s *v1alpha1.Subscription) (*phase.Halt, error) {
	if s.Spec.DeletionPolicy != v1alpha1.DeletionPolicyDelete {
		return nil, nil
	}
	if h := phase.DeletionPaused(s, r.Config.Now(), "the subscription is cancelled in Partner Center"); h != nil {
		return h, nil
	}
	if err := r.findUnrecordedOrder(ctx, s); err != nil || s.Status.SubscriptionID == "" {
		return nil, err
	}
	remote, err := r.External.GetSubscription(ctx, s.Status.CustomerID, s.Status.SubscriptionID)
	if partnercenter.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if endedStatus(remote.Status) {
		return nil, nil
	}
	if h := phase.StillRefused(s, v1alpha1.ConditionReady, ReasonCancelRefused); h != nil {
		return h, nil
	}
	cancel := *remote
	cancel.Status = remoteStatusFor(&v1alpha1.SubscriptionSpec{OfferID: s.Spec.OfferID, State: v1alpha1.SubscriptionSuspended})
	_, err = r.External.UpdateSubscription(ctx, uuid.NewString(), s.Status.CustomerID, cancel)
	switch {
	case err == nil:
		r.Event(s, corev1.EventTypeNormal, EventCancelled, "Cancelled subscription %s in Partner Center (status %s)", s.Status.SubscriptionID, cancel.Status)
		return nil, nil
	case partnercenter.IsCustomerNotApproved(err):
		return r.holdChanges(s, []string{"the cancellation"}, "Partner Center answered "+partnercenter.ErrorCode(err)), nil
	case phase.IsClientError(err) && !partnercenter.IsETagStale(err):
		msg := fmt.Sprintf("Partner Center refused to cancel subscription %s (%s). Set spec.deletionPolicy: Orphan to delete this object and keep the subscription.", s.Status.SubscriptionID, err.Error())
		r.Event(s, corev1.EventTypeWarning, EventRefused, "%s", msg)
		return phase.WaitFor(ReasonCancelRefused, time.Time{}, "%s", msg), nil
	}
	return nil, err
}

// findUnrecordedOrder covers a crash between the order call and recording
// its answer: with an order intent but no subscription recorded, the
// customer's subscriptions are searched for the one that order created.
func (r *Reconciler) findUnrecordedOrder(ctx context.Context, s *v1alpha1.Subscription) error {
	if s.Status.SubscriptionID != "" || s.Annotations[AnnotationOrderRequestID] == "" {
		return nil
	}
	customer := &v1alpha1.Customer{}
	found, err := r.get(ctx, s.Namespace, s.Spec.CustomerRef.Name, customer)
	if err != nil || !found || customer.Status.CustomerID == "" {
		return err
	}
	candidates, err := r.orderCandidates(ctx, s, customer.Status.CustomerID)
	if err != nil || len(candidates) != 1 {
		return err
	}
	s.Status.CustomerID, s.Status.OrderID, s.Status.SubscriptionID = customer.Status.CustomerID, candidates[0].OrderID, candidates[0].ID
	return nil
}
