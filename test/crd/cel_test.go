package crd

import (
	"strings"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
)

// c6Countries are the countries where a company registration ID and a
// company phone number are required (C6).
var c6Countries = []string{"AM", "AZ", "BY", "BR", "HU", "IN", "IQ", "KZ", "KG", "MD", "MM", "PL", "RU", "SA", "ZA", "SS", "TJ", "TH", "TR", "UA", "AE", "UZ", "VE", "VN"}

// validCustomer is a complete new-customer object that every rule admits.
func validCustomer(ns, name, country string) *v1alpha1.Customer {
	return &v1alpha1.Customer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.CustomerSpec{
			CompanyName: "Contoso Comercio Ltda",
			Domain:      "contoso" + strings.ToLower(country),
			Email:       "billing@contoso.example",
			Address: &v1alpha1.Address{
				AddressLine1: "Avenida Paulista 1000", City: "Sao Paulo", State: "SP",
				PostalCode: "01310-100", Country: country,
			},
			PrimaryContact: &v1alpha1.Contact{FirstName: "Maria", LastName: "Silva", Email: "maria@contoso.example"},
		},
	}
}

// refusal creates obj and returns the API server's message; it fails the
// test if the object was admitted.
func refusal(obj client.Object) string {
	err := k8sClient.Create(ctx, obj)
	Expect(err).To(HaveOccurred(), "the API server admitted an object it should refuse")
	return err.Error()
}

var _ = Describe("Customer", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	It("admits a complete new customer and defaults culture, language, segment, GDAP and deletion policy", func() {
		c := validCustomer(ns, "ok", "US")
		Expect(k8sClient.Create(ctx, c)).To(Succeed())
		Expect(c.Spec.Culture).To(Equal("en-US"))
		Expect(c.Spec.Language).To(Equal("en"))
		Expect(c.Spec.Segment).To(Equal(v1alpha1.SegmentCommercial))
		Expect(c.Spec.DefaultGDAP).To(Equal(ptr.To(true)))
		Expect(c.Spec.DeletionPolicy).To(Equal(v1alpha1.DeletionPolicyOrphan))
	})

	DescribeTable("C6: refuses a company without registration ID and phone in a country that requires them",
		func(country string) {
			msg := refusal(validCustomer(ns, "c6-"+strings.ToLower(country), country))
			Expect(msg).To(ContainSubstring("C6: a company in " + country + " needs both companyRegistrationID"))
			Expect(msg).To(ContainSubstring("spec.companyRegistrationID"))

			onlyID := validCustomer(ns, "c6-id-"+strings.ToLower(country), country)
			onlyID.Spec.CompanyRegistrationID = "12345678000190"
			Expect(refusal(onlyID)).To(ContainSubstring("C6:"))

			onlyPhone := validCustomer(ns, "c6-phone-"+strings.ToLower(country), country)
			onlyPhone.Spec.PhoneNumber = "+55 11 5555 0100"
			Expect(refusal(onlyPhone)).To(ContainSubstring("C6:"))

			both := validCustomer(ns, "c6-both-"+strings.ToLower(country), country)
			both.Spec.CompanyRegistrationID = "12345678000190"
			both.Spec.PhoneNumber = "+55 11 5555 0100"
			Expect(k8sClient.Create(ctx, both)).To(Succeed())
		},
		func(country string) string { return country },
		entriesFor(c6Countries),
	)

	DescribeTable("C6: needs neither registration ID nor phone elsewhere",
		func(country string) {
			Expect(k8sClient.Create(ctx, validCustomer(ns, "free-"+strings.ToLower(country), country))).To(Succeed())
		},
		func(country string) string { return country },
		entriesFor([]string{"US", "NL", "FR", "DE", "JP", "CA"}),
	)

	It("refuses both domain and existingCustomerTenantID, and neither", func() {
		both := validCustomer(ns, "both", "US")
		both.Spec.ExistingCustomerTenantID = "0c9a0d2b-3a32-4f71-9a53-0e1c0b1a2b3c"
		Expect(refusal(both)).To(ContainSubstring("set exactly one of domain"))

		neither := validCustomer(ns, "neither", "US")
		neither.Spec.Domain = ""
		Expect(refusal(neither)).To(ContainSubstring("set exactly one of domain"))
	})

	It("admits an existing customer named by tenant ID alone (C7)", func() {
		existing := &v1alpha1.Customer{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "existing"},
			Spec:       v1alpha1.CustomerSpec{ExistingCustomerTenantID: "0c9a0d2b-3a32-4f71-9a53-0e1c0b1a2b3c"},
		}
		Expect(k8sClient.Create(ctx, existing)).To(Succeed())
	})

	It("refuses a new customer without the billing details it needs", func() {
		c := validCustomer(ns, "incomplete", "US")
		c.Spec.Address = nil
		Expect(refusal(c)).To(ContainSubstring("a new customer (domain set) needs companyName, email, address and primaryContact"))
	})

	DescribeTable("refuses malformed fields with the field's name",
		func(mutate func(*v1alpha1.Customer), field string) {
			c := validCustomer(ns, "bad", "US")
			mutate(c)
			Expect(refusal(c)).To(ContainSubstring(field))
		},
		Entry("country not alpha-2", func(c *v1alpha1.Customer) { c.Spec.Address.Country = "USA" }, "spec.address.country"),
		Entry("lower-case country", func(c *v1alpha1.Customer) { c.Spec.Address.Country = "us" }, "spec.address.country"),
		Entry("e-mail without @", func(c *v1alpha1.Customer) { c.Spec.Email = "billing.contoso.example" }, "spec.email"),
		Entry("domain with a dot", func(c *v1alpha1.Customer) { c.Spec.Domain = "contoso.com" }, "spec.domain"),
		Entry("domain too long", func(c *v1alpha1.Customer) { c.Spec.Domain = strings.Repeat("a", 28) }, "spec.domain"),
		Entry("one-character company name", func(c *v1alpha1.Customer) { c.Spec.CompanyName = "X" }, "spec.companyName"),
		Entry("contact name over 40 characters", func(c *v1alpha1.Customer) { c.Spec.PrimaryContact.FirstName = strings.Repeat("a", 41) }, "spec.primaryContact.firstName"),
		Entry("tenant ID not a GUID", func(c *v1alpha1.Customer) {
			c.Spec.Domain = ""
			c.Spec.ExistingCustomerTenantID = "not-a-guid"
		}, "spec.existingCustomerTenantID"),
		Entry("unknown segment", func(c *v1alpha1.Customer) { c.Spec.Segment = "Retail" }, "spec.segment"),
		Entry("unknown deletion policy", func(c *v1alpha1.Customer) { c.Spec.DeletionPolicy = "Keep" }, "spec.deletionPolicy"),
	)

	It("keeps domain and address.country immutable", func() {
		c := validCustomer(ns, "immutable", "US")
		Expect(k8sClient.Create(ctx, c)).To(Succeed())

		renamed := c.DeepCopy()
		renamed.Spec.Domain = "fabrikam"
		Expect(k8sClient.Update(ctx, renamed)).To(MatchError(ContainSubstring("domain is immutable")))

		moved := c.DeepCopy()
		moved.Spec.Address.Country = "CA"
		Expect(k8sClient.Update(ctx, moved)).To(MatchError(ContainSubstring("address.country is immutable")))

		fixedName := c.DeepCopy()
		fixedName.Spec.CompanyName = "Contoso Comercio Limitada"
		Expect(k8sClient.Update(ctx, fixedName)).To(Succeed(), "billing details stay editable (C10 re-verifies them)")
	})

	It("keeps indirectResellerRef immutable in all three directions: added, changed, removed", func() {
		direct := validCustomer(ns, "direct", "US")
		Expect(k8sClient.Create(ctx, direct)).To(Succeed())
		direct.Spec.IndirectResellerRef = &v1alpha1.LocalObjectReference{Name: "reseller-a"}
		Expect(k8sClient.Update(ctx, direct)).To(MatchError(ContainSubstring("indirectResellerRef is immutable")), "added")

		viaReseller := validCustomer(ns, "via-reseller", "US")
		viaReseller.Spec.IndirectResellerRef = &v1alpha1.LocalObjectReference{Name: "reseller-a"}
		Expect(k8sClient.Create(ctx, viaReseller)).To(Succeed())
		changed := viaReseller.DeepCopy()
		changed.Spec.IndirectResellerRef.Name = "reseller-b"
		Expect(k8sClient.Update(ctx, changed)).To(MatchError(ContainSubstring("indirectResellerRef is immutable")), "changed")
		removed := viaReseller.DeepCopy()
		removed.Spec.IndirectResellerRef = nil
		Expect(k8sClient.Update(ctx, removed)).To(MatchError(ContainSubstring("indirectResellerRef is immutable")), "removed")
	})

	It("refuses switching a new customer to an existing tenant", func() {
		c := validCustomer(ns, "switch", "US")
		Expect(k8sClient.Create(ctx, c)).To(Succeed())
		c.Spec.Domain = ""
		c.Spec.ExistingCustomerTenantID = "0c9a0d2b-3a32-4f71-9a53-0e1c0b1a2b3c"
		Expect(k8sClient.Update(ctx, c)).To(MatchError(ContainSubstring("domain is immutable")))
	})
})

var _ = Describe("MCAAttestation", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	attestation := func(name string) *v1alpha1.MCAAttestation {
		return &v1alpha1.MCAAttestation{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.MCAAttestationSpec{
				CustomerRef: v1alpha1.LocalObjectReference{Name: "contoso"},
				Method:      v1alpha1.MethodPartnerAttestation,
				AcceptedBy:  &v1alpha1.AcceptingPerson{FirstName: "Tania", LastName: "Carr", Email: "tania@contoso.example"},
				DateAgreed:  "2026-11-01",
			},
		}
	}

	It("M3: refuses a partner attestation without the accepting person or date", func() {
		noPerson := attestation("no-person")
		noPerson.Spec.AcceptedBy = nil
		Expect(refusal(noPerson)).To(ContainSubstring("M3: a PartnerAttestation needs acceptedBy"))

		noDate := attestation("no-date")
		noDate.Spec.DateAgreed = ""
		Expect(refusal(noDate)).To(ContainSubstring("M3: a PartnerAttestation needs acceptedBy"))

		badDate := attestation("bad-date")
		badDate.Spec.DateAgreed = "01/11/2026"
		Expect(refusal(badDate)).To(ContainSubstring("spec.dateAgreed"))
	})

	It("admits a direct acceptance without an accepting person and defaults its timeout", func() {
		direct := attestation("direct")
		direct.Spec.Method = v1alpha1.MethodDirectAcceptance
		direct.Spec.AcceptedBy = nil
		direct.Spec.DateAgreed = ""
		Expect(k8sClient.Create(ctx, direct)).To(Succeed())
		Expect(direct.Spec.DirectAcceptanceTimeout.Duration.Hours()).To(BeNumerically("==", 168))
	})

	It("keeps customerRef immutable", func() {
		a := attestation("immutable")
		Expect(k8sClient.Create(ctx, a)).To(Succeed())
		a.Spec.CustomerRef.Name = "fabrikam"
		Expect(k8sClient.Update(ctx, a)).To(MatchError(ContainSubstring("customerRef is immutable")))
	})

	It("keeps the accepting person fixed once the agreement is accepted", func() {
		a := attestation("accepted")
		Expect(k8sClient.Create(ctx, a)).To(Succeed())
		now := metav1.Now()
		a.Status.AcceptedAt = &now
		Expect(k8sClient.Status().Update(ctx, a)).To(Succeed())

		a.Spec.AcceptedBy.Email = "someone.else@contoso.example"
		Expect(k8sClient.Update(ctx, a)).To(MatchError(ContainSubstring("the agreement was already accepted")))
	})
})

var _ = Describe("ResellerPartnership", func() {
	It("keeps resellerMPNID immutable and refuses a malformed one", func() {
		ns := newNamespace()
		rp := &v1alpha1.ResellerPartnership{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "first-up"},
			Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "4847383", ResellerEmail: "partners@firstup.example"},
		}
		Expect(k8sClient.Create(ctx, rp)).To(Succeed())
		Expect(rp.Spec.State).To(Equal(v1alpha1.PartnershipActive))
		rp.Spec.ResellerMPNID = "4847384"
		Expect(k8sClient.Update(ctx, rp)).To(MatchError(ContainSubstring("resellerMPNID is immutable")))

		bad := &v1alpha1.ResellerPartnership{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "bad"},
			Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "MPN-1", ResellerEmail: "partners@firstup.example"},
		}
		Expect(refusal(bad)).To(ContainSubstring("spec.resellerMPNID"))
	})
})

var _ = Describe("Subscription", func() {
	var ns string
	BeforeEach(func() { ns = newNamespace() })

	subscription := func(name string) *v1alpha1.Subscription {
		return &v1alpha1.Subscription{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
			Spec: v1alpha1.SubscriptionSpec{
				CustomerRef: v1alpha1.LocalObjectReference{Name: "contoso"},
				OfferID:     "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P",
				Quantity:    5,
			},
		}
	}

	It("keeps customerRef and offerID immutable but lets the quantity change (S3)", func() {
		s := subscription("immutable")
		Expect(k8sClient.Create(ctx, s)).To(Succeed())
		Expect(s.Spec.TermDuration).To(Equal(v1alpha1.TermDuration("P1M")))
		Expect(s.Spec.State).To(Equal(v1alpha1.SubscriptionActive))

		moved := s.DeepCopy()
		moved.Spec.CustomerRef.Name = "fabrikam"
		Expect(k8sClient.Update(ctx, moved)).To(MatchError(ContainSubstring("customerRef is immutable")))

		other := s.DeepCopy()
		other.Spec.OfferID = "CFQ7TTC0LFLS:0002:CFQ7TTC0KDLJ"
		Expect(k8sClient.Update(ctx, other)).To(MatchError(ContainSubstring("offerID is immutable")))

		more := s.DeepCopy()
		more.Spec.Quantity = 10
		Expect(k8sClient.Update(ctx, more)).To(Succeed())
	})

	DescribeTable("refuses out-of-range values",
		func(mutate func(*v1alpha1.Subscription), field string) {
			s := subscription("bad")
			mutate(s)
			Expect(refusal(s)).To(ContainSubstring(field))
		},
		Entry("zero licenses", func(s *v1alpha1.Subscription) { s.Spec.Quantity = 0 }, "spec.quantity"),
		Entry("too many licenses", func(s *v1alpha1.Subscription) { s.Spec.Quantity = 300001 }, "spec.quantity"),
		Entry("unknown term", func(s *v1alpha1.Subscription) { s.Spec.TermDuration = "P2Y" }, "spec.termDuration"),
		Entry("unknown billing cycle", func(s *v1alpha1.Subscription) { s.Spec.BillingCycle = "Weekly" }, "spec.billingCycle"),
		Entry("unknown state", func(s *v1alpha1.Subscription) { s.Spec.State = "Paused" }, "spec.state"),
		Entry("unknown management policy", func(s *v1alpha1.Subscription) { s.Spec.ManagementPolicy = "ReadOnly" }, "spec.managementPolicy"),
		Entry("a subscription ID that is not a GUID", func(s *v1alpha1.Subscription) { s.Spec.SubscriptionID = "sub-1" }, "spec.subscriptionID"),
	)

	It("I1: defaults the management policy to Manage and keeps an adopted subscriptionID fixed", func() {
		s := subscription("adopting")
		s.Spec.SubscriptionID = "6a1f0c2e-4d7b-4a53-9b8e-2f1d3c4b5a69"
		Expect(k8sClient.Create(ctx, s)).To(Succeed())
		Expect(s.Spec.ManagementPolicy).To(Equal(v1alpha1.ManagementPolicyManage))

		other := s.DeepCopy()
		other.Spec.SubscriptionID = "0b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"
		Expect(k8sClient.Update(ctx, other)).To(MatchError(ContainSubstring("subscriptionID is immutable")))

		removed := s.DeepCopy()
		removed.Spec.SubscriptionID = ""
		Expect(k8sClient.Update(ctx, removed)).To(MatchError(ContainSubstring("subscriptionID cannot be added to or removed from an existing Subscription")))

		ordered := subscription("ordered")
		Expect(k8sClient.Create(ctx, ordered)).To(Succeed())
		ordered.Spec.SubscriptionID = "0b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b"
		Expect(k8sClient.Update(ctx, ordered)).To(MatchError(ContainSubstring("subscriptionID cannot be added to or removed from an existing Subscription")))

		observe := s.DeepCopy()
		observe.Spec.ManagementPolicy = v1alpha1.ManagementPolicyObserve
		Expect(k8sClient.Update(ctx, observe)).To(Succeed())
	})
})

// entriesFor turns a list of countries into table entries.
func entriesFor(countries []string) []TableEntry {
	entries := make([]TableEntry, 0, len(countries))
	for _, c := range countries {
		entries = append(entries, Entry(nil, c))
	}
	return entries
}
