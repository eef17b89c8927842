package phase

import (
	"context"
	"errors"
	"fmt"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/client/interceptor"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// failingReader is an uncached reader that cannot reach the API server.
type failingReader struct{ client.Reader }

func (failingReader) Get(context.Context, client.ObjectKey, client.Object, ...client.GetOption) error {
	return errors.New("connection refused")
}

// liveCounter is a Kind that counts its live passes.
type liveCounter struct{ live int }

func (*liveCounter) Validate(*v1alpha1.Customer) *Halt { return nil }
func (k *liveCounter) Live(context.Context, *v1alpha1.Customer, *Pass) (*Halt, error) {
	k.live++
	return nil, nil
}
func (*liveCounter) DeleteRemote(context.Context, *v1alpha1.Customer) (*Halt, error) { return nil, nil }
func (*liveCounter) Ready(*v1alpha1.Customer) status.Outcome                         { return status.Outcome{Ready: true} }

// TestAFailedUncachedReadKeepsTheVersionThisProcessLeft: when the cached
// copy lags this process's own write and the uncached read fails, the pass
// stops, and the next one still knows the cached copy is behind (it reads
// uncached again, never acting on the older copy).
func TestAFailedUncachedReadKeepsTheVersionThisProcessLeft(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	cached := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "c", UID: "uid-1"}}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(cached).WithStatusSubresource(cached).Build()
	if err := c.Get(t.Context(), client.ObjectKeyFromObject(cached), cached); err != nil {
		t.Fatal(err)
	}
	var synced SyncCache
	written := cached.DeepCopy()
	written.ResourceVersion = cached.ResourceVersion + "1" // this process's last write, not in the cache yet
	synced.Left(written)

	kind := &liveCounter{}
	l := Lifecycle[*v1alpha1.Customer]{Client: c, Reader: failingReader{}, Reporter: &Reporter{}, Synced: &synced, Kind: kind}
	req := ctrl.Request{NamespacedName: client.ObjectKeyFromObject(cached)}
	if _, err := l.Reconcile(t.Context(), req, &v1alpha1.Customer{}); err == nil {
		t.Fatal("a failed uncached read must fail the pass")
	}
	if kind.live != 0 {
		t.Fatalf("the pass acted on a copy older than its own write (%d live passes)", kind.live)
	}
	if !synced.Behind(cached) {
		t.Fatal("after a failed read the cached copy is no longer known to be behind this process's write")
	}
}

// intentWriter is a Kind whose live pass persists an intent annotation
// (PatchMetadata), as a create or an order does before its call.
type intentWriter struct{ c client.Client }

func (intentWriter) Validate(*v1alpha1.Customer) *Halt { return nil }
func (k intentWriter) Live(ctx context.Context, obj *v1alpha1.Customer, _ *Pass) (*Halt, error) {
	return nil, PatchMetadata(ctx, k.c, obj, func(o *v1alpha1.Customer) {
		metav1.SetMetaDataAnnotation(&o.ObjectMeta, "partnercenter.csp.dev/create-request-id", "intent-1")
	})
}
func (intentWriter) DeleteRemote(context.Context, *v1alpha1.Customer) (*Halt, error) { return nil, nil }
func (intentWriter) Ready(*v1alpha1.Customer) status.Outcome                         { return status.Outcome{Ready: true} }

// TestAFailedStatusWriteStillRecordsThePassesOwnWrites: the intent annotation
// was written, then the status write failed; the copy read before the
// annotation is known to be behind, so the retry reads uncached and replays
// the persisted intent instead of making a new one.
func TestAFailedStatusWriteStillRecordsThePassesOwnWrites(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	before := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "c", UID: "uid-1"}}
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(before).WithStatusSubresource(before).
		WithInterceptorFuncs(interceptor.Funcs{SubResourcePatch: func(context.Context, client.Client, string, client.Object, client.Patch, ...client.SubResourcePatchOption) error {
			return errors.New("the API server timed out")
		}}).Build()
	if err := c.Get(t.Context(), client.ObjectKeyFromObject(before), before); err != nil {
		t.Fatal(err)
	}
	var synced SyncCache
	l := Lifecycle[*v1alpha1.Customer]{Client: c, Reporter: &Reporter{}, Synced: &synced, Kind: intentWriter{c}}
	req := ctrl.Request{NamespacedName: client.ObjectKeyFromObject(before)}
	if _, err := l.Reconcile(t.Context(), req, &v1alpha1.Customer{}); err == nil {
		t.Fatal("a failed status write must fail the pass")
	}
	if !synced.Behind(before) {
		t.Fatal("the copy without the pass's intent annotation is not known to be behind")
	}
}

// deferredDriftCheck is a Kind whose live pass finds no Partner Center
// budget to spare for its read.
type deferredDriftCheck struct{}

func (deferredDriftCheck) Validate(*v1alpha1.Customer) *Halt { return nil }
func (deferredDriftCheck) Live(context.Context, *v1alpha1.Customer, *Pass) (*Halt, error) {
	return nil, fmt.Errorf("partnercenter GetBillingProfile: %w", partnercenter.ErrDriftCheckDeferred)
}
func (deferredDriftCheck) DeleteRemote(context.Context, *v1alpha1.Customer) (*Halt, error) {
	return nil, nil
}
func (deferredDriftCheck) Ready(*v1alpha1.Customer) status.Outcome {
	return status.Outcome{Ready: true}
}

// TestADeferredDriftCheckWritesNothingAndGoesBackBehindNewWork: a drift
// check the client deferred (no budget to spare) learned nothing: the status
// is not written (no error is reported), and the object is requeued later at
// the resync priority.
func TestADeferredDriftCheckWritesNothingAndGoesBackBehindNewWork(t *testing.T) {
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	settled := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{Namespace: "ns", Name: "c", UID: "uid-1", Generation: 1}}
	status.MarkTrue(settled, v1alpha1.ConditionReady, status.Reason{Name: "Ready"}, "ready")
	statusWrites := 0
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(settled).WithStatusSubresource(settled).
		WithInterceptorFuncs(interceptor.Funcs{SubResourcePatch: func(ctx context.Context, c client.Client, sub string, obj client.Object, p client.Patch, opts ...client.SubResourcePatchOption) error {
			statusWrites++
			return c.SubResource(sub).Patch(ctx, obj, p, opts...)
		}}).Build()
	l := Lifecycle[*v1alpha1.Customer]{Client: c, Reporter: &Reporter{}, Synced: &SyncCache{}, Kind: deferredDriftCheck{}}
	res, err := l.Reconcile(t.Context(), ctrl.Request{NamespacedName: client.ObjectKeyFromObject(settled)}, &v1alpha1.Customer{})
	if err != nil {
		t.Fatalf("a deferred drift check reported %v", err)
	}
	if statusWrites != 0 {
		t.Fatalf("a deferred drift check wrote the status %d times", statusWrites)
	}
	if res.RequeueAfter <= 0 || res.Priority == nil || *res.Priority != priorityResync {
		t.Fatalf("requeued after %s at priority %v, want later at the resync priority", res.RequeueAfter, res.Priority)
	}
}
