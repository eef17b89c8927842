// Package subscription reconciles Subscription objects: it buys a customer
// subscription through one order, placed only when the order gate passes
// (S4: customer exists and is Approved, MCA accepted, reseller partnerships
// Active) and never twice (S2), with the reseller as partner of record and
// support contact (S1, R3, R5); it applies quantity, auto-renew and state
// changes to the existing subscription (S3) but holds them while the
// customer is verified again (C10, S5), reports renewals and drift, and
// honours the deletion policy.
package subscription

import (
	"context"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/changefeed"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// ControllerName names the controller in logs, metrics and events.
const ControllerName = "subscription"

// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=subscriptions,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=subscriptions/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=subscriptions/finalizers,verbs=update
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=customers;mcaattestations;resellerpartnerships,verbs=get;list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// SetupWithManager registers the Subscription reconciler, backed by the
// shared Partner Center client.
func SetupWithManager(mgr ctrl.Manager, deps controller.Deps) error {
	r := &Reconciler{
		Client:     mgr.GetClient(),
		External:   deps.PartnerCenter,
		Reporter:   phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(ControllerName)},
		ChangeFeed: deps.ChangeFeed,
	}
	return r.SetupWithManager(mgr)
}

// Reconciler reconciles Subscription objects.
type Reconciler struct {
	// Client reads (cached) and writes Kubernetes objects.
	Client client.Client
	// External is Partner Center.
	External External
	// Reporter carries the operator configuration (role, backend, resync,
	// clock) and the event recorder, and reports each pass the shared way.
	phase.Reporter
	// ChangeFeed wakes the objects changed outside the operator; nil: none.
	ChangeFeed *changefeed.Feed

	// synced lets a settled Subscription woken again skip Partner Center until its resync is due.
	synced phase.SyncCache
}

// SetupWithManager registers the reconciler with mgr. The Subscription watch
// ignores status-only updates (its own writes); Customer, MCAAttestation and
// ResellerPartnership changes in what the order gate reads of them wake the
// Subscriptions that reference them
// (those of a customer through controller.CustomerRefField, which
// controller.AddIndexes must have registered on mgr).
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	if err := mgr.GetFieldIndexer().IndexField(context.Background(), &v1alpha1.Subscription{}, partnershipRefIndex, indexPartnershipRefs); err != nil {
		return err
	}
	b := ctrl.NewControllerManagedBy(mgr).
		Named(ControllerName).
		For(&v1alpha1.Subscription{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.Customer{}, handler.EnqueueRequestsFromMapFunc(r.subscriptionsOfCustomer), builder.WithPredicates(customerGateReadsChanged)).
		Watches(&v1alpha1.MCAAttestation{}, handler.EnqueueRequestsFromMapFunc(r.subscriptionsOfAttestation), builder.WithPredicates(attestationGateReadsChanged)).
		Watches(&v1alpha1.ResellerPartnership{}, handler.EnqueueRequestsFromMapFunc(r.subscriptionsOfPartnership), builder.WithPredicates(controller.PartnershipChanged))
	if r.ChangeFeed != nil {
		b = b.WatchesRawSource(r.ChangeFeed.Subscriptions(r.synced.Forget))
	}
	return b.Complete(r)
}

// Reconcile brings one Subscription towards its spec: fetch, deletion,
// paused, the phases, then one status write (none when nothing changed). A
// settled Subscription woken again within its resync period is left alone;
// the resync (jittered) reads it again to find renewals and drift.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return phase.Reconcile(ctx, r.Client, req, &v1alpha1.Subscription{}, &r.Reporter, &r.synced, r.reconcile)
}

// reconcile runs the phases and turns their outcome into
// Ready/Reconciling/Stalled, Synced and a requeue.
func (r *Reconciler) reconcile(ctx context.Context, s *v1alpha1.Subscription) (ctrl.Result, error) {
	if !s.DeletionTimestamp.IsZero() {
		h, err := r.reconcileDelete(ctx, s)
		if h == nil && err == nil {
			return ctrl.Result{}, nil // the finalizer is released; the object goes away
		}
		return r.Finish(s, h, err, status.Outcome{Ready: true, Reason: ReasonReady, Message: readyMessage(s)})
	}
	if r.Paused(s) {
		return ctrl.Result{}, nil
	}
	p := &pass{}
	h, err := r.reconcileLive(ctx, s, p)
	result, err := r.Finish(s, h, err, status.Outcome{Ready: true, Reason: ReasonReady, Message: readyMessage(s)})
	if p.drift != "" {
		// Finish reports the pass itself as Synced; drift found on the way is
		// what Synced must show until a later pass finds Partner Center in line.
		status.MarkFalse(s, v1alpha1.ConditionSynced, ReasonDriftCorrected, p.drift)
	}
	return result, err
}

// reconcileDelete carries out the deletion policy and releases the finalizer;
// (nil, nil) means the object may go.
func (r *Reconciler) reconcileDelete(ctx context.Context, s *v1alpha1.Subscription) (*phase.Halt, error) {
	if !controllerutil.ContainsFinalizer(s, v1alpha1.Finalizer) {
		return nil, nil
	}
	if h, err := r.cancelRemote(ctx, s); h != nil || err != nil {
		return h, err
	}
	if err := r.patchMetadata(ctx, s, func(obj *v1alpha1.Subscription) { controllerutil.RemoveFinalizer(obj, v1alpha1.Finalizer) }); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	r.synced.Forget(client.ObjectKeyFromObject(s))
	return nil, nil
}
