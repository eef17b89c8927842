package customer_test

import (
	"github.com/google/uuid"
	. "github.com/onsi/gomega"

	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// simApprove is Microsoft approving the customer's verification.
func simApprove(customerID string) { Expect(sim.ApproveVerification(customerID)).To(Succeed()) }

// simReject is Microsoft refusing the customer's verification.
func simReject(customerID string) { Expect(sim.RejectVerification(customerID)).To(Succeed()) }

// simExistingTenant adds a tenant that exists outside this partner (C7) and returns its ID.
func simExistingTenant() string {
	id := uuid.NewString()
	Expect(sim.AddExistingTenant(id, "Northwind Traders")).To(Succeed())
	return id
}

// simAcceptRelationship is the existing customer accepting the reseller relationship request.
func simAcceptRelationship(tenantID string) {
	Expect(sim.AcceptRelationshipRequest(tenantID)).To(Succeed())
}

// simActiveReseller registers a reseller whose partnership is Active and returns its tenant ID.
func simActiveReseller(mpnID string) string {
	tenant := uuid.NewString()
	Expect(sim.RegisterReseller(pcsim.Reseller{MPNID: mpnID, TenantID: tenant})).To(Succeed())
	Expect(sim.AcceptPartnership(mpnID)).To(Succeed())
	return tenant
}

// simRecord is the simulator's record of a customer.
func simRecord(customerID string) pcsim.CustomerRecord {
	r, ok := sim.Customer(customerID)
	Expect(ok).To(BeTrue(), "the simulator has no customer "+customerID)
	return r
}

// simDefaultGDAP tells whether creation asked for the default GDAP relationship (C9).
func simDefaultGDAP(customerID string) bool { return simRecord(customerID).DefaultGDAP }

// simCostPolicy is the viewCharges policy last set through ARM (C11), "" if none.
func simCostPolicy(customerID string) string {
	if p := simRecord(customerID).CostManagementPolicy; p != nil {
		return p.Properties.ViewCharges
	}
	return ""
}

// simCalls counts requests that reached one operation.
func simCalls(op string) int { return sim.Calls(op) }

// reconcileCount is how many reconciles the Customer controller finished.
func reconcileCount() float64 { return testenv.ReconcileCount(customer.ControllerName) }
