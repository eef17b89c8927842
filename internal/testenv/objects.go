package testenv

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"

	"github.com/google/uuid"
	"github.com/onsi/gomega"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// mpnSeq makes every MPN ID of a test process unique in a shared simulator.
var mpnSeq atomic.Int64

// NewMPNID is a fresh 7-digit MPN ID.
func NewMPNID() string { return fmt.Sprintf("%07d", 3000000+mpnSeq.Add(1)*97+int64(rand.IntN(90))) }

// RegisterReseller registers an enrolled reseller with a name in the
// simulator and returns its tenant ID.
func RegisterReseller(sim *pcsim.Simulator, mpnID, name string) string {
	tenant := uuid.NewString()
	gomega.Expect(sim.RegisterReseller(pcsim.Reseller{MPNID: mpnID, TenantID: tenant, Name: name})).To(gomega.Succeed())
	return tenant
}

// CreatedCustomer waits until the Customer controller created the customer
// in Partner Center and returns the Customer with its customer ID.
func CreatedCustomer(c client.Client, cust *v1alpha1.Customer) *v1alpha1.Customer {
	return Eventually(c, cust, func(cust *v1alpha1.Customer) bool { return cust.Status.CustomerID != "" }, "the customer was never created")
}
