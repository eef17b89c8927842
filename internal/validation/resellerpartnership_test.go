package validation

import (
	"strings"
	"testing"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
)

func TestR1PartnerMayPartnerWithResellers(t *testing.T) {
	rp := &v1alpha1.ResellerPartnership{Spec: v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "1234567", ResellerEmail: "ops@fabrikam.com"}}
	for _, role := range []config.PartnerRole{config.RoleDirectBill, config.RoleIndirectReseller} {
		expectOnly(t, ResellerPartnership(rp, withRole(role)), "spec.resellerMPNID", "R1")
	}
	expectNone(t, ResellerPartnership(rp, withRole(config.RoleIndirectProvider)))
}

func TestR2ResellerEmailWarnsOnlyWhereARequestMayNeedIt(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec v1alpha1.ResellerPartnershipSpec
		warn bool
	}{
		{"with an e-mail", v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "1234567", ResellerEmail: "ops@fabrikam.com"}, false},
		{"Manage without an e-mail", v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "1234567"}, true},
		{"Observe without an e-mail (imported)", v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "1234567", ManagementPolicy: v1alpha1.ManagementPolicyObserve}, false},
		{"Removed without an e-mail", v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "1234567", State: v1alpha1.PartnershipRemoved}, false},
	} {
		got := ResellerEmailWarnings(&v1alpha1.ResellerPartnership{Spec: tc.spec})
		if (len(got) > 0) != tc.warn {
			t.Errorf("%s: warnings %q, want a warning: %t", tc.name, got, tc.warn)
		}
		if tc.warn && !strings.Contains(got[0], "ResellerEmailMissing") {
			t.Errorf("%s: the warning does not name the stall: %q", tc.name, got[0])
		}
	}
}
