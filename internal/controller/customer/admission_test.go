package customer_test

import (
	"context"

	"github.com/google/uuid"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

var _ = Describe("Customer admission", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	It("accepts a valid customer", func() {
		Expect(k8s.Create(context.Background(), validCustomer(ns, uniqueDomain("valid")))).To(Succeed())
	})

	// Each entry is created against the real API server with the webhook
	// installed, as `kubectl apply` would; the refusal names the field and the rule.
	entries := make([]TableEntry, 0, len(badCustomers))
	for _, bad := range badCustomers {
		entries = append(entries, Entry(bad.rule+": refuses "+bad.name, bad))
	}
	DescribeTable("refuses a bad Customer at creation, naming the field and the rule",
		func(bad badCustomer) {
			c := validCustomer(ns, uniqueDomain("bad"))
			bad.edit(c)
			err := k8s.Create(context.Background(), c)
			Expect(err).To(HaveOccurred(), "the API server accepted %s", bad.name)
			Expect(apierrors.IsInvalid(err)).To(BeTrue(), "not a validation refusal: %v", err)
			Expect(err.Error()).To(ContainSubstring(bad.field))
			Expect(err.Error()).To(ContainSubstring(bad.rule + ": "))
		},
		entries,
	)

	It("C2: reports every violation of one object at once", func() {
		c := validCustomer(ns, uniqueDomain("many"))
		c.Spec.CompanyName = "test"
		c.Spec.PrimaryContact.FirstName = "admin"
		c.Spec.Email = "someone@microsoft.com"
		err := k8s.Create(context.Background(), c)
		Expect(err).To(HaveOccurred())
		for _, want := range []string{"spec.companyName", "C2: ", "spec.primaryContact.firstName", "C3: ", "spec.email", "C4: "} {
			Expect(err.Error()).To(ContainSubstring(want))
		}
	})
})

var _ = Describe("Customer admission for an IndirectReseller operator", Ordered, func() {
	var reseller *testenv.Env
	BeforeAll(func() {
		var err error
		reseller, err = testenv.Start(testenv.Options{
			Role: config.RoleIndirectReseller, PartnerDomain: "partner.example",
			Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
				return webhookv1alpha1.SetupCustomerWebhookWithManager(mgr, deps.Config)
			},
			WebhookResources: []string{"customers"},
		})
		Expect(err).NotTo(HaveOccurred())
		testenv.WaitForWebhook(reseller.Client, validCustomer("default", "webhookprobe"))
	})
	AfterAll(func() { Expect(reseller.Stop()).To(Succeed()) })

	It("C1: refuses a Customer that asks an IndirectReseller to create a tenant, saying why", func() {
		c := validCustomer("default", uniqueDomain("resold"))
		err := reseller.Client.Create(context.Background(), c)
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).To(ContainSubstring("spec.domain"))
		Expect(err.Error()).To(ContainSubstring("C1: "))
		Expect(err.Error()).To(ContainSubstring("existingCustomerTenantID"))
	})

	It("C1: lets an IndirectReseller request a relationship with an existing customer (C7)", func() {
		c := &v1alpha1.Customer{
			ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: uniqueDomain("existing")},
			Spec:       v1alpha1.CustomerSpec{ExistingCustomerTenantID: uuid.NewString()},
		}
		Expect(reseller.Client.Create(context.Background(), c)).To(Succeed())
	})

	It("R3: refuses indirectResellerRef when the operator is not an IndirectProvider", func() {
		c := &v1alpha1.Customer{
			ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: uniqueDomain("existing")},
			Spec: v1alpha1.CustomerSpec{ExistingCustomerTenantID: uuid.NewString(),
				IndirectResellerRef: &v1alpha1.LocalObjectReference{Name: "first-up"}},
		}
		err := reseller.Client.Create(context.Background(), c)
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).To(ContainSubstring("R3: "))
	})
})
