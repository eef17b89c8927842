package controller

import (
	"slices"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

func TestCustomerRefOfIndexesWhatNamesACustomer(t *testing.T) {
	ref := v1alpha1.LocalObjectReference{Name: "contoso"}
	for _, tc := range []struct {
		name string
		obj  client.Object
		want []string
	}{
		{"an MCAAttestation", &v1alpha1.MCAAttestation{Spec: v1alpha1.MCAAttestationSpec{CustomerRef: ref}}, []string{"contoso"}},
		{"a Subscription", &v1alpha1.Subscription{Spec: v1alpha1.SubscriptionSpec{CustomerRef: ref}}, []string{"contoso"}},
		{"a Customer names none", &v1alpha1.Customer{}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := customerRefOf(tc.obj); !slices.Equal(got, tc.want) {
				t.Fatalf("customerRefOf = %v, want %v", got, tc.want)
			}
		})
	}
}
