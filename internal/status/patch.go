package status

import (
	"context"
	"maps"
	"reflect"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/conversion"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// Patcher remembers an object as it was read, so its status can be written
// back once, at the end of the reconcile, and only if it changed.
type Patcher struct {
	client client.Client
	before Object
}

// NewPatcher snapshots obj; call it right after reading the object.
func NewPatcher(c client.Client, obj Object) *Patcher {
	return &Patcher{client: c, before: obj.DeepCopyObject().(Object)}
}

// Changed tells whether obj's status differs from the snapshot as it would be
// stored.
func (p *Patcher) Changed(obj Object) bool {
	return !EqualAsStored(statusOf(p.before), statusOf(obj))
}

// PatchStatus writes obj's status with a merge patch against the snapshot.
// Nothing is sent when nothing changed (a quiet reconciler makes zero writes
// on a settled object).
func (p *Patcher) PatchStatus(ctx context.Context, obj Object) error {
	if !p.Changed(obj) {
		return nil
	}
	if err := p.client.Status().Patch(ctx, obj, client.MergeFrom(p.before)); err != nil {
		return err
	}
	p.before = obj.DeepCopyObject().(Object)
	return nil
}

// statusOf is the whole status struct of an object of this API (every kind
// has a Status field); comparing only the status keeps metadata churn
// (resourceVersion, managedFields) out of the decision. Reading the field
// directly, rather than converting the object to unstructured content, keeps
// the check cheap on every reconcile.
func statusOf(obj Object) any {
	return reflect.ValueOf(obj).Elem().FieldByName("Status").Interface()
}

// storedEquality is equality.Semantic with times compared as the API server
// stores them, to the second: a time that differs only below the second is
// not a change worth a write.
var storedEquality = func() conversion.Equalities {
	e := conversion.EqualitiesOrDie()
	maps.Copy(e.Equalities, equality.Semantic.Equalities)
	if err := e.AddFunc(func(a, b metav1.Time) bool { return a.Truncate(time.Second).Equal(b.Truncate(time.Second)) }); err != nil {
		panic(err)
	}
	return e
}()

// EqualAsStored tells whether a and b are equal as the API server would store
// them: Partner Center dates carry fractional seconds, status keeps whole
// ones, so a plain comparison would see a change on every read.
func EqualAsStored(a, b any) bool { return storedEquality.DeepEqual(a, b) }
