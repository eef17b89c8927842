package validation

import (
	"testing"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

func TestR3SubscriptionResellerRefsNeedProvider(t *testing.T) {
	ref := &v1alpha1.LocalObjectReference{Name: "fabrikam"}
	cases := []struct {
		name string
		spec v1alpha1.SubscriptionSpec
		path string
	}{
		{"resellerRef", v1alpha1.SubscriptionSpec{ResellerRef: ref}, "spec.resellerRef"},
		{"supportContactRef", v1alpha1.SubscriptionSpec{SupportContactRef: ref}, "spec.supportContactRef"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &v1alpha1.Subscription{Spec: tc.spec}
			for _, role := range []config.PartnerRole{config.RoleDirectBill, config.RoleIndirectReseller} {
				expectOnly(t, Subscription(s, withRole(role)), tc.path, "R3")
			}
			expectNone(t, Subscription(s, withRole(config.RoleIndirectProvider)))
		})
	}
	expectNone(t, Subscription(&v1alpha1.Subscription{}, withRole(config.RoleDirectBill)))
}
