package validation

import (
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
