package controller

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	toolscache "k8s.io/client-go/tools/cache"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

func TestCacheTransformDropsOnlyWhatTheReconcilersNeverRead(t *testing.T) {
	const lastApplied = corev1.LastAppliedConfigAnnotation
	applied := func() *v1alpha1.Customer {
		return &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{
			Name:          "contoso",
			Annotations:   map[string]string{lastApplied: `{"spec":{}}`, v1alpha1.AnnotationPaused: "true"},
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "kubectl"}},
		}}
	}
	unstructuredApplied := func() *unstructured.Unstructured {
		u := &unstructured.Unstructured{}
		u.SetName("contoso")
		u.SetAnnotations(map[string]string{lastApplied: `{"spec":{}}`, v1alpha1.AnnotationPaused: "true"})
		return u
	}
	for _, tc := range []struct {
		name                           string
		stripManaged, stripLastApplied bool
		in                             func() metav1.Object
		wantManaged, wantAnnotated     bool
	}{
		{"both on", true, true, func() metav1.Object { return applied() }, false, false},
		{"managedFields only", true, false, func() metav1.Object { return applied() }, false, true},
		{"last-applied only", false, true, func() metav1.Object { return applied() }, true, false},
		{"unstructured", false, true, func() metav1.Object { return unstructuredApplied() }, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := CacheTransform(tc.stripManaged, tc.stripLastApplied)(tc.in())
			if err != nil {
				t.Fatal(err)
			}
			obj := out.(metav1.Object)
			if got := obj.GetManagedFields() != nil; got != tc.wantManaged {
				t.Errorf("managedFields kept = %v, want %v", got, tc.wantManaged)
			}
			if _, got := obj.GetAnnotations()[lastApplied]; got != tc.wantAnnotated {
				t.Errorf("last-applied kept = %v, want %v", got, tc.wantAnnotated)
			}
			if obj.GetAnnotations()[v1alpha1.AnnotationPaused] != "true" {
				t.Error("an annotation the reconcilers read was dropped")
			}
		})
	}
	tombstone := toolscache.DeletedFinalStateUnknown{Key: "ns/contoso"}
	if out, err := CacheTransform(true, true)(tombstone); err != nil || out != tombstone {
		t.Errorf("a tombstone came out as %v, %v; want it unchanged", out, err)
	}
	if CacheTransform(false, false) != nil {
		t.Error("a transform is returned although nothing is dropped")
	}
}
