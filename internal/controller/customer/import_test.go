package customer_test

import (
	"context"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

var _ = Describe("Importing customers", func() {
	var ns string
	ctx := context.Background()
	BeforeEach(func() { ns = newNamespace() })

	It("I1: adopts a tenant that already is this partner's customer at once: no relationship link, no create, no write", func() {
		seeded, err := sim.Seed(pcsim.Book{Customers: []pcsim.BookCustomer{{CompanyName: "Wide World Importers", MCASignedDirectly: true}}})
		Expect(err).NotTo(HaveOccurred())
		tenant := seeded.CustomerIDs[0]
		links, writes := simCalls(wire.OpGetRelationshipRequest), sim.WriteCalls()
		c := &v1alpha1.Customer{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "wide-world"},
			Spec:       v1alpha1.CustomerSpec{ExistingCustomerTenantID: tenant},
		}
		Expect(k8s.Create(ctx, c)).To(Succeed())
		got := eventually(c, haveCondition(v1alpha1.ConditionReady, metav1.ConditionTrue, customer.ReasonReady.Name), "the existing customer was not adopted")
		Expect(got.Status.Adopted).To(BeTrue())
		Expect(got.Status.CustomerID).To(Equal(tenant))
		Expect(status.Get(got, v1alpha1.ConditionCreated).Reason).To(Equal(customer.ReasonAdopted.Name))
		Expect(got.Status.RelationshipRequestURL).To(BeEmpty(), "a relationship link was asked for a tenant that already is a customer")
		Expect(simCalls(wire.OpGetRelationshipRequest)).To(Equal(links))
		Expect(sim.WriteCalls()).To(Equal(writes), "adopting wrote to Partner Center")
	})

	It("I1: an Observe Customer never writes: no create while Observe, the next pass after Manage creates; billing drift is reported, not sent; deleting an Observe one deletes nothing", func() {
		creates := simCalls(wire.OpCreateCustomer)
		c := validCustomer(ns, uniqueDomain("observe"))
		c.Spec.ManagementPolicy = v1alpha1.ManagementPolicyObserve
		c.Spec.DeletionPolicy = v1alpha1.DeletionPolicyDelete
		Expect(k8s.Create(ctx, c)).To(Succeed())
		got := eventually(c, haveCondition(v1alpha1.ConditionReady, metav1.ConditionFalse, status.ReasonObserveOnly.Name), "an Observe Customer was not held")
		Expect(got.Status.CustomerID).To(BeEmpty())
		Expect(simCalls(wire.OpCreateCustomer)).To(Equal(creates), "an Observe Customer was created")

		switchPolicy(c, v1alpha1.ManagementPolicyManage)
		got = eventually(c, func(c *v1alpha1.Customer) bool { return c.Status.CustomerID != "" }, "switched to Manage, the customer was not created")
		Expect(customersWithDomain(c.Spec.Domain)).To(Equal(1), "switched to Manage, not exactly one customer was created")

		switchPolicy(c, v1alpha1.ManagementPolicyObserve)
		updates := simCalls(wire.OpUpdateBillingProfile)
		Eventually(func() error {
			cur := get(c)
			cur.Spec.CompanyName = "Contoso Holdings Ltd"
			return k8s.Update(ctx, cur)
		}).Should(Succeed())
		drifted := eventually(c, haveCondition(v1alpha1.ConditionSynced, metav1.ConditionFalse, status.ReasonDriftObserved.Name), "the billing drift was not reported")
		Expect(status.Get(drifted, v1alpha1.ConditionSynced).Message).To(ContainSubstring("billing profile: companyName"))
		Expect(simCalls(wire.OpUpdateBillingProfile)).To(Equal(updates), "an Observe Customer updated the billing profile")
		deletes := simCalls(wire.OpDeleteCustomer)
		Expect(k8s.Delete(ctx, got)).To(Succeed())
		Eventually(func() error { return k8s.Get(ctx, client.ObjectKeyFromObject(c), &v1alpha1.Customer{}) }).Should(MatchError(ContainSubstring("not found")))
		Expect(simCalls(wire.OpDeleteCustomer)).To(Equal(deletes), "the finalizer of an Observe Customer deleted it")
		_, err := env.PC.GetCustomer(ctx, got.Status.CustomerID)
		Expect(err).NotTo(HaveOccurred())
	})
})

// switchPolicy sets the Customer's management policy, retrying conflicts.
func switchPolicy(c *v1alpha1.Customer, policy v1alpha1.ManagementPolicy) {
	Eventually(func() error {
		cur := get(c)
		cur.Spec.ManagementPolicy = policy
		return k8s.Update(context.Background(), cur)
	}).Should(Succeed())
}

// customersWithDomain counts the simulator's customers holding <prefix>.onmicrosoft.com
// (a replayed create, same MS-RequestId, is answered with the same customer).
func customersWithDomain(prefix string) int {
	n := 0
	for _, rec := range sim.Customers() {
		if p := rec.Customer.CompanyProfile; p != nil && p.Domain == prefix+".onmicrosoft.com" {
			n++
		}
	}
	return n
}
