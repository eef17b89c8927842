package main

import (
	"context"
	"fmt"
	"sync"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	customerctrl "github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
)

// The floor is what any implementation of an onboarding must write to the
// API server, done by a plain client with no reads, no cache and no Partner
// Center: per object, the writes crash safety needs before the first Partner
// Center write, and one status write per distinct state that must be
// recorded. floorWrites lists them per kind; the harness counts what the
// floor client actually sent from the audit log, like the manager's.
//
//   - ResellerPartnership: status Active (1).
//   - Customer: finalizer + create intent (MS-RequestId) in one metadata
//     patch (C12), the admin credentials Secret (C12), status Created/Ready,
//     then status AgreementAccepted once the attestation is confirmed (M6) (4).
//   - MCAAttestation: the attestation's MS-RequestId in a metadata patch,
//     status Accepted/Ready (2).
//   - Subscription: finalizer + order intent in one metadata patch (S2),
//     status Ordered/Ready (2).
var floorWrites = map[Kind][]func(context.Context, client.Client, client.Object) error{
	KindResellerPartnership: {resellerActive},
	KindCustomer:            {customerIntent, customerSecret, customerReady, customerAgreement},
	KindMCAAttestation:      {attestationIntent, attestationAccepted},
	KindSubscription:        {subscriptionIntent, subscriptionReady},
}

// minimalPartnerCenterCalls are the Partner Center calls an onboarding cannot
// do without: address check (C5), domain check (C13), create, one
// verification read (C10), the attestation (M2) and the order (S1); per
// reseller the agreement-status check and one read of the reseller list (R2).
var minimalPartnerCenterCalls = struct{ perOnboarding, perReseller int }{6, 2}

// floorRunner does the floor's writes for every object as soon as it exists,
// with as many parallel writers as the manager has reconcile workers.
type floorRunner struct {
	c    client.Client
	jobs chan client.Object
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
}

// newFloorRunner starts workers writers using c.
func newFloorRunner(ctx context.Context, c client.Client, workers, capacity int) *floorRunner {
	f := &floorRunner{c: c, jobs: make(chan client.Object, capacity)}
	for range workers {
		f.wg.Go(func() {
			for obj := range f.jobs {
				f.record(f.write(ctx, obj))
			}
		})
	}
	return f
}

// enqueue hands a created object to the writers (never blocks: capacity is the workload).
func (f *floorRunner) enqueue(obj client.Object) { f.jobs <- obj.DeepCopyObject().(client.Object) }

// finish waits for every write and returns the first error.
func (f *floorRunner) finish() error {
	close(f.jobs)
	f.wg.Wait()
	return f.err
}

// record keeps the first error.
func (f *floorRunner) record(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err == nil {
		f.err = err
	}
}

// write does an object's floor writes in order.
func (f *floorRunner) write(ctx context.Context, obj client.Object) error {
	for _, w := range floorWrites[kindOf(obj)] {
		if err := w(ctx, f.c, obj); err != nil {
			return fmt.Errorf("floor write on %s %s: %w", kindOf(obj), obj.GetName(), err)
		}
	}
	return nil
}

// ready is a Ready=True condition.
func ready(obj client.Object) metav1.Condition {
	return condition(obj, v1alpha1.ConditionReady)
}

// condition is a True condition of type t stamped with obj's generation.
func condition(obj client.Object, t string) metav1.Condition {
	return metav1.Condition{Type: t, Status: metav1.ConditionTrue, Reason: "Floor", Message: "Written by the benchmark's floor client.", ObservedGeneration: obj.GetGeneration()}
}

// patchStatus merge-patches obj's status after mutate.
func patchStatus[T client.Object](ctx context.Context, c client.Client, obj client.Object, mutate func(T)) error {
	o := obj.(T)
	before := o.DeepCopyObject().(T)
	mutate(o)
	return c.Status().Patch(ctx, o, client.MergeFrom(before))
}

// patchMetadata merge-patches obj's metadata after mutate.
func patchMetadata(ctx context.Context, c client.Client, obj client.Object, mutate func(client.Object)) error {
	before := obj.DeepCopyObject().(client.Object)
	mutate(obj)
	return c.Patch(ctx, obj, client.MergeFrom(before))
}

// setConditions sets True conditions of the given types plus Ready.
func setConditions(conds *[]metav1.Condition, obj client.Object, types ...string) {
	for _, t := range append(types, v1alpha1.ConditionReady) {
		meta.SetStatusCondition(conds, condition(obj, t))
	}
}

func resellerActive(ctx context.Context, c client.Client, obj client.Object) error {
	return patchStatus(ctx, c, obj, func(rp *v1alpha1.ResellerPartnership) {
		rp.Status.Phase = v1alpha1.PhaseActive
		rp.Status.ResellerMPNID = rp.Spec.ResellerMPNID
		rp.Status.ResellerTenantID = "00000000-0000-0000-0000-" + fmt.Sprintf("%012s", rp.Spec.ResellerMPNID)
		setConditions(&rp.Status.Conditions, rp, v1alpha1.ConditionActive)
	})
}

func customerIntent(ctx context.Context, c client.Client, obj client.Object) error {
	return patchMetadata(ctx, c, obj, func(o client.Object) {
		controllerutil.AddFinalizer(o, v1alpha1.Finalizer)
		annotations := map[string]string{customerctrl.AnnotationCreateAttempt: "1", customerctrl.AnnotationCreateRequestID: string(o.GetUID())}
		o.SetAnnotations(annotations)
	})
}

func customerSecret(ctx context.Context, c client.Client, obj client.Object) error {
	cust := obj.(*v1alpha1.Customer)
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: cust.Namespace, Name: cust.CredentialsSecretName()},
		Type:       corev1.SecretTypeOpaque,
		Data: map[string][]byte{
			customerctrl.SecretKeyUserName: []byte("admin"), customerctrl.SecretKeyPassword: []byte("floor-not-a-secret"),
			customerctrl.SecretKeyUserPrincipalName: []byte("admin@" + cust.Spec.Domain + ".onmicrosoft.com"),
			customerctrl.SecretKeyCustomerID:        []byte(cust.UID),
		},
	}
	if err := controllerutil.SetControllerReference(cust, secret, c.Scheme()); err != nil {
		return err
	}
	return c.Create(ctx, secret)
}

func customerReady(ctx context.Context, c client.Client, obj client.Object) error {
	return patchStatus(ctx, c, obj, func(cust *v1alpha1.Customer) {
		cust.Status.CustomerID = string(cust.UID)
		cust.Status.CredentialsSecretName = cust.CredentialsSecretName()
		cust.Status.VerificationStatus = "Allowed"
		cust.Status.AgreementStatus = v1alpha1.AgreementNotProvided
		setConditions(&cust.Status.Conditions, cust, v1alpha1.ConditionCreated, v1alpha1.ConditionVerified)
	})
}

func customerAgreement(ctx context.Context, c client.Client, obj client.Object) error {
	return patchStatus(ctx, c, obj, func(cust *v1alpha1.Customer) {
		cust.Status.AgreementStatus = v1alpha1.AgreementProvided
		meta.SetStatusCondition(&cust.Status.Conditions, condition(cust, v1alpha1.ConditionAgreementAccepted))
	})
}

func attestationIntent(ctx context.Context, c client.Client, obj client.Object) error {
	return patchMetadata(ctx, c, obj, func(o client.Object) {
		o.SetAnnotations(map[string]string{mcaattestation.AnnotationAttestRequestID: string(o.GetUID())})
	})
}

func attestationAccepted(ctx context.Context, c client.Client, obj client.Object) error {
	return patchStatus(ctx, c, obj, func(a *v1alpha1.MCAAttestation) {
		now := metav1.Now()
		a.Status.AgreementStatus = v1alpha1.AgreementProvided
		a.Status.AcceptedAt = &now
		setConditions(&a.Status.Conditions, a, v1alpha1.ConditionAccepted)
	})
}

// annotationOrderRequestID is the floor's stand-in for the Subscription's
// persisted order intent (S2).
const annotationOrderRequestID = "partnercenter.csp.dev/order-request-id"

func subscriptionIntent(ctx context.Context, c client.Client, obj client.Object) error {
	return patchMetadata(ctx, c, obj, func(o client.Object) {
		controllerutil.AddFinalizer(o, v1alpha1.Finalizer)
		o.SetAnnotations(map[string]string{annotationOrderRequestID: string(o.GetUID())})
	})
}

func subscriptionReady(ctx context.Context, c client.Client, obj client.Object) error {
	return patchStatus(ctx, c, obj, func(s *v1alpha1.Subscription) {
		s.Status.OrderID = string(s.UID)
		s.Status.SubscriptionID = string(s.UID)
		s.Status.RemoteStatus = "active"
		s.Status.Quantity = s.Spec.Quantity
		setConditions(&s.Status.Conditions, s, v1alpha1.ConditionOrdered)
	})
}
