package status

import (
	"context"

	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/apimachinery/pkg/runtime"
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

// Changed tells whether obj's status differs from the snapshot.
func (p *Patcher) Changed(obj Object) bool {
	return !equality.Semantic.DeepEqual(statusOf(p.before), statusOf(obj))
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

// statusOf extracts the whole status struct of an object of this API by
// converting it to unstructured content; comparing only the status keeps
// metadata churn (resourceVersion, managedFields) out of the decision.
func statusOf(obj Object) any {
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return obj
	}
	return u["status"]
}
