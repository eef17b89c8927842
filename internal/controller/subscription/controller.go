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
		Reader:     mgr.GetAPIReader(),
		External:   deps.PartnerCenter,
		Reporter:   phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(ControllerName)},
		ChangeFeed: deps.ChangeFeed,
	}
	return r.SetupWithManager(mgr)
}

// Reconciler reconciles Subscription objects: the Subscription's part of the
// shared phase.Lifecycle (Validate, Live, DeleteRemote, Ready).
type Reconciler struct {
	// Client reads (cached) and writes Kubernetes objects.
	Client client.Client
	// Reader reads from the API server directly, where the cache may lag: a
	// Subscription whose cached copy is behind this process's writes, and the
	// other Subscriptions' order intents (the 800060 look-up); nil reads
	// through Client.
	Reader client.Reader
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
		b = b.WatchesRawSource(r.ChangeFeed.Subscriptions(&r.synced))
	}
	return b.Complete(r)
}

// Reconcile brings one Subscription towards its spec through the shared
// lifecycle. A settled Subscription woken again within its resync period is
// left alone; the resync (jittered) reads it again to find renewals and drift.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	lifecycle := phase.Lifecycle[*v1alpha1.Subscription]{Client: r.Client, Reader: r.Reader, Reporter: &r.Reporter, Synced: &r.synced, Kind: r}
	return lifecycle.Reconcile(ctx, req, &v1alpha1.Subscription{})
}

// Ready is the outcome of a Subscription no step holds.
func (r *Reconciler) Ready(s *v1alpha1.Subscription) status.Outcome {
	return status.Outcome{Ready: true, Reason: ReasonReady, Message: readyMessage(s)}
}
