package controller

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
)

// CacheTransform drops from every cached object what the reconcilers never
// read: managedFields and kubectl's last-applied-configuration annotation (a
// JSON copy of the object, left by kubectl apply and Argo CD's client-side
// apply); nil when nothing is dropped. The reconcilers write metadata with
// merge patches computed between two cached copies, so what is dropped here
// is never dropped on the server. The manager and every envtest suite use it.
func CacheTransform(stripManagedFields, stripLastApplied bool) toolscache.TransformFunc {
	var steps []toolscache.TransformFunc
	if stripManagedFields {
		steps = append(steps, cache.TransformStripManagedFields())
	}
	if stripLastApplied {
		steps = append(steps, stripLastAppliedConfiguration)
	}
	if len(steps) == 0 {
		return nil
	}
	return func(in any) (any, error) {
		for _, step := range steps {
			var err error
			if in, err = step(in); err != nil {
				return nil, err
			}
		}
		return in, nil
	}
}

// stripLastAppliedConfiguration drops the last-applied-configuration annotation.
func stripLastAppliedConfiguration(in any) (any, error) {
	if obj, err := meta.Accessor(in); err == nil {
		if annotations := obj.GetAnnotations(); annotations[corev1.LastAppliedConfigAnnotation] != "" {
			delete(annotations, corev1.LastAppliedConfigAnnotation)
			obj.SetAnnotations(annotations) // an unstructured object hands out a copy
		}
	}
	return in, nil
}
