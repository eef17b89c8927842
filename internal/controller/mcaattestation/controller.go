// Package mcaattestation reconciles MCAAttestation objects: it confirms a
// customer's acceptance of the Microsoft Customer Agreement by partner
// attestation (M2-M5) or tracks the customer's direct acceptance in the
// Microsoft 365 admin center (M7-M9), and reports the agreement state Partner
// Center confirms (M6) in the Accepted condition the Subscription order gate
// reads (M10).
//
// An MCAAttestation holds no finalizer: an attestation cannot be withdrawn in
// Partner Center, so deleting the object has nothing to undo there.
package mcaattestation

import (
	"context"
	"sync"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// ControllerName names the controller in logs, metrics and events.
const ControllerName = "mcaattestation"

// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=mcaattestations,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=mcaattestations/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=partnercenter.csp.dev,resources=customers;subscriptions,verbs=get;list;watch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// SetupWithManager registers the MCAAttestation reconciler, backed by the
// shared Partner Center client.
func SetupWithManager(mgr ctrl.Manager, deps controller.Deps) error {
	r := &Reconciler{
		Client:   mgr.GetClient(),
		Reader:   mgr.GetAPIReader(),
		External: deps.PartnerCenter,
		Reporter: phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(ControllerName)},
	}
	return r.SetupWithManager(mgr)
}

// Reconciler reconciles MCAAttestation objects: the MCAAttestation's part of
// the shared phase.Lifecycle (Validate, Live, DeleteRemote, Ready).
type Reconciler struct {
	// Client reads (cached) and writes Kubernetes objects.
	Client client.Client
	// Reader reads an MCAAttestation uncached when its cached copy lags this
	// process's writes (nil: through Client).
	Reader client.Reader
	// External is Partner Center.
	External External
	// Reporter carries the operator configuration (role, backend, resync,
	// clock) and the event recorder, and reports each pass the shared way.
	phase.Reporter

	// synced lets a settled attestation woken again skip Partner Center until its resync is due.
	synced phase.SyncCache
	// mcaTemplate is the MCA template ID once looked up: one constant per
	// partner account, so the agreement metadata is read once per process.
	mcaTemplate struct {
		sync.Mutex
		id string
	}
}

// SetupWithManager registers the reconciler with mgr. The MCAAttestation
// watch ignores status-only updates (its own writes); a Customer change in
// what an attestation reads of it (its customer ID appearing, M4) and a
// Subscription's order put on hold for want of the agreement, or released
// from it (M9), wake the attestations of that customer, found through
// controller.CustomerRefField (controller.AddIndexes must have registered it
// on mgr).
func (r *Reconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		Named(ControllerName).
		For(&v1alpha1.MCAAttestation{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.Customer{}, handler.EnqueueRequestsFromMapFunc(r.attestationsOfCustomer), builder.WithPredicates(customerFactsChanged)).
		Watches(&v1alpha1.Subscription{}, handler.EnqueueRequestsFromMapFunc(r.attestationsOfSubscription), builder.WithPredicates(subscriptionHoldChanged)).
		Complete(r)
}

// Reconcile brings one MCAAttestation towards its spec through the shared
// lifecycle. A settled attestation woken again within its resync period by
// nothing that concerns it is left alone: an acceptance, once confirmed, stays.
func (r *Reconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	lifecycle := phase.Lifecycle[*v1alpha1.MCAAttestation]{Client: r.Client, Reader: r.Reader, Reporter: &r.Reporter, Synced: &r.synced, Kind: r}
	return lifecycle.Reconcile(ctx, req, &v1alpha1.MCAAttestation{})
}

// DeleteRemote has nothing to undo: an attestation cannot be withdrawn in
// Partner Center, and an MCAAttestation holds no finalizer, so the lifecycle
// never asks.
func (r *Reconciler) DeleteRemote(context.Context, *v1alpha1.MCAAttestation) (*phase.Halt, error) {
	return nil, nil
}

// Ready is the outcome of a confirmed acceptance.
func (r *Reconciler) Ready(a *v1alpha1.MCAAttestation) status.Outcome {
	return status.Outcome{Ready: true, Reason: ReasonAccepted, Message: acceptedMessage(a)}
}
