package controller

import (
	"context"
	"slices"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

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

func TestRequestsWhereWakesTheObjectsOfTheNamespaceWhoseIndexHoldsTheValue(t *testing.T) {
	subscription := func(namespace, name, customer string) client.Object {
		return &v1alpha1.Subscription{
			ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
			Spec:       v1alpha1.SubscriptionSpec{CustomerRef: v1alpha1.LocalObjectReference{Name: customer}},
		}
	}
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	indexed := fake.NewClientBuilder().WithScheme(scheme).
		WithIndex(&v1alpha1.Subscription{}, CustomerRefField, customerRefOf).
		WithObjects(
			subscription("team-a", "contoso-e3", "contoso"),
			subscription("team-a", "contoso-e5", "contoso"),
			subscription("team-a", "fabrikam-e3", "fabrikam"),
			subscription("team-b", "contoso-e3", "contoso"),
		).Build()
	unindexed := fake.NewClientBuilder().WithScheme(scheme).WithObjects(subscription("team-a", "contoso-e3", "contoso")).Build()

	for _, tc := range []struct {
		name   string
		client client.Reader
		value  string
		want   []string
	}{
		{"the objects naming the customer in its namespace", indexed, "contoso", []string{"team-a/contoso-e3", "team-a/contoso-e5"}},
		{"nothing names the customer", indexed, "northwind", nil},
		{"the list fails (no such index): nothing is woken", unindexed, "contoso", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, req := range RequestsWhere(context.Background(), tc.client, &v1alpha1.SubscriptionList{}, "team-a", CustomerRefField, tc.value) {
				got = append(got, req.String())
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("RequestsWhere = %v, want %v", got, tc.want)
			}
		})
	}
}
