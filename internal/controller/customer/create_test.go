package customer_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
)

// remoteCustomers lists the simulator's customers holding domain, over HTTP.
func remoteCustomers(domain string) []wire.Customer {
	full := domain + ".onmicrosoft.com"
	list, err := env.PC.ListAllCustomers(context.Background(), 0, &wire.Filter{
		Field: wire.FilterFieldDomain, Value: full, Operator: wire.FilterOperatorStartsWith,
	})
	Expect(err).NotTo(HaveOccurred())
	var out []wire.Customer
	for _, c := range list {
		if c.CompanyProfile != nil && c.CompanyProfile.Domain == full {
			out = append(out, c)
		}
	}
	return out
}

// credentials reads the Customer's credentials Secret.
func credentials(c *v1alpha1.Customer) *corev1.Secret {
	s := &corev1.Secret{}
	Expect(k8s.Get(context.Background(), types.NamespacedName{Namespace: c.Namespace, Name: c.CredentialsSecretName()}, s)).To(Succeed())
	return s
}

// created waits until the Customer has a customer ID.
func created(c *v1alpha1.Customer) *v1alpha1.Customer {
	return eventually(c, func(c *v1alpha1.Customer) bool { return c.Status.CustomerID != "" }, "the customer was never created")
}

// auditLine is the log line auditing the Partner Center change with the
// MS-RequestId ("" if none).
func auditLine(log, requestID string) string {
	for _, line := range strings.Split(log, "\n") {
		if strings.Contains(line, "Partner Center changed") && strings.Contains(line, requestID) {
			return line
		}
	}
	return ""
}

// eventNotes lists the notes of the events about the Customer, by reason.
func eventNotes(c *v1alpha1.Customer) map[string]string { return testenv.EventNotes(k8s, c) }

var _ = Describe("Customer creation", func() {
	var ns string
	ctx := context.Background()
	BeforeEach(func() { ns = newNamespace() })

	It("C12: stores the one-time admin credentials in a Secret owned by the Customer and nowhere else", func() {
		c := validCustomer(ns, uniqueDomain("creds"))
		Expect(k8s.Create(ctx, c)).To(Succeed())
		c = created(c)

		s := credentials(c)
		Expect(string(s.Data[customer.SecretKeyUserName])).To(Equal("admin"))
		Expect(string(s.Data[customer.SecretKeyUserPrincipalName])).To(Equal("admin@" + c.Spec.Domain + ".onmicrosoft.com"))
		password := string(s.Data[customer.SecretKeyPassword])
		Expect(password).NotTo(BeEmpty())
		Expect(metav1.IsControlledBy(s, c)).To(BeTrue(), "the Secret is not owned by the Customer")
		Expect(c.Status.CredentialsSecretName).To(Equal(s.Name))
		Expect(c.Finalizers).To(ContainElement(v1alpha1.Finalizer))

		Expect(fmt.Sprintf("%+v", c.Status) + c.Annotations[customer.AnnotationCreateRequestID]).NotTo(ContainSubstring(password))
		Eventually(func() map[string]string { return eventNotes(c) }).Should(HaveKey(customer.EventCredentialsStored))
		for _, note := range eventNotes(c) {
			Expect(note).NotTo(ContainSubstring(password))
		}
		// The log, at the highest --zap-log-level, does hold the create call
		// (the client's V(1) line names its MS-RequestId), but never the
		// password it answered with: not as text, base64 or in a hex dump of
		// the Secret's protobuf.
		Expect(managerLog.String()).To(ContainSubstring(c.Annotations[customer.AnnotationCreateRequestID]))
		Expect(testenv.ContainsSecret(managerLog.String(), password)).To(BeFalse(), "the temporary password is in the manager's log")
		// The audit line of the create names the Customer it was made for.
		audit := auditLine(managerLog.String(), c.Annotations[customer.AnnotationCreateRequestID])
		Expect(audit).To(And(ContainSubstring(`"operation": "CreateCustomer"`), ContainSubstring(`"controllerKind": "Customer"`),
			ContainSubstring(`"namespace": "`+c.Namespace+`"`), ContainSubstring(`"name": "`+c.Name+`"`), ContainSubstring(`"outcome": "201"`)))
		Expect(remoteCustomers(c.Spec.Domain)).To(HaveLen(1))
	})

	It("C12: refuses to write over a Secret it does not own, before creating anything", func() {
		c := validCustomer(ns, uniqueDomain("taken"))
		foreign := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: c.CredentialsSecretName()},
			StringData: map[string]string{"password": "someone else's"}}
		Expect(k8s.Create(ctx, foreign)).To(Succeed())
		Expect(k8s.Create(ctx, c)).To(Succeed())

		got := eventually(c, haveCondition(v1alpha1.ConditionStalled, metav1.ConditionTrue, customer.ReasonCredentialsSecretConflict.Name),
			"a foreign Secret did not stall the Customer")
		Expect(status.Get(got, v1alpha1.ConditionReady).Message).To(ContainSubstring(c.CredentialsSecretName()))
		Expect(remoteCustomers(c.Spec.Domain)).To(BeEmpty())
		Expect(string(credentials(c).Data["password"])).To(Equal("someone else's"))

		Expect(k8s.Delete(ctx, foreign)).To(Succeed())
		created(c)
		Expect(metav1.IsControlledBy(credentials(c), c)).To(BeTrue())
	})

	DescribeTable("C12: a restart between any two steps of the create path ends with one customer and the credentials in the Secret",
		func(point faultPoint) {
			c := validCustomer(ns, uniqueDomain("crash"))
			injected.arm(point, c.Name)
			Expect(k8s.Create(ctx, c)).To(Succeed())
			c = created(c)
			Expect(injected.firedCount()).To(Equal(1), "the fault %q never fired", point)

			Expect(remoteCustomers(c.Spec.Domain)).To(HaveLen(1))
			Expect(remoteCustomers(c.Spec.Domain)[0].ID).To(Equal(c.Status.CustomerID))
			Expect(credentials(c).Data[customer.SecretKeyPassword]).NotTo(BeEmpty())
			Expect(string(credentials(c).Data[customer.SecretKeyCustomerID])).To(Equal(c.Status.CustomerID))
		},
		Entry("C12: "+string(faultAfterIntent), faultAfterIntent),
		Entry("C12: "+string(faultBeforeCreateCall), faultBeforeCreateCall),
		Entry("C12: "+string(faultAfterCreateCall), faultAfterCreateCall),
		Entry("C12: "+string(faultAfterSecretWrite), faultAfterSecretWrite),
		Entry("C12: "+string(faultAtStatusWrite), faultAtStatusWrite),
	)

	It("C13: reports a taken domain before any create call", func() {
		domain := uniqueDomain("dup")
		first := validCustomer(ns, domain)
		Expect(k8s.Create(ctx, first)).To(Succeed())
		created(first)

		second := validCustomer(newNamespace(), domain)
		Expect(k8s.Create(ctx, second)).To(Succeed())
		got := eventually(second, haveCondition(v1alpha1.ConditionStalled, metav1.ConditionTrue, customer.ReasonDomainTaken.Name),
			"a taken domain did not stall the Customer")
		Expect(status.Get(got, v1alpha1.ConditionReady).Message).To(ContainSubstring("C13"))
		Expect(got.Annotations).NotTo(HaveKey(customer.AnnotationCreateRequestID), "an intent was recorded for a taken domain")
		Expect(remoteCustomers(domain)).To(HaveLen(1))
	})

	It("C5: stops on a rejected address with Partner Center's suggestions, until the spec takes one", func() {
		c := validCustomer(ns, uniqueDomain("addr"))
		c.Spec.Address.PostalCode = "00000" // the simulator answers StreetPartial with a suggestion
		Expect(k8s.Create(ctx, c)).To(Succeed())
		got := eventually(c, haveCondition(v1alpha1.ConditionStalled, metav1.ConditionTrue, customer.ReasonAddressRejected.Name),
			"a rejected address did not stall the Customer")
		Expect(got.Status.AddressValidation).NotTo(BeNil())
		Expect(got.Status.AddressValidation.Status).To(Equal(wire.AddressStatusStreetPartial))
		Expect(got.Status.AddressValidation.SuggestedAddresses).To(HaveLen(1))
		Expect(remoteCustomers(c.Spec.Domain)).To(BeEmpty())

		suggestion := got.Status.AddressValidation.SuggestedAddresses[0]
		got.Spec.Address.PostalCode = suggestion.PostalCode
		Expect(k8s.Update(ctx, got)).To(Succeed())
		created(c)
		Expect(get(c).Status.AddressValidation.Status).To(Equal(wire.AddressStatusVerifiedShippable))
	})

	It("C6: the CRD refuses a Brazilian customer without registration ID or company phone", func() {
		c := validCustomer(ns, uniqueDomain("br"))
		c.Spec.Address = &v1alpha1.Address{AddressLine1: "Avenida Paulista 1000", City: "São Paulo", State: "SP", PostalCode: "01310-100", Country: "BR"}
		err := k8s.Create(ctx, c)
		Expect(err).To(HaveOccurred())
		Expect(err.Error()).To(ContainSubstring("C6"))
		Expect(err.Error()).To(ContainSubstring("companyRegistrationID"))

		c.Spec.CompanyRegistrationID = "12345678000190"
		c.Spec.PhoneNumber = "+55 11 5555 0100"
		Expect(k8s.Create(ctx, c)).To(Succeed())
		created(c)
	})

	It("C6: shows Partner Center's refusal of a registration ID and retries with a new MS-RequestId once the spec is fixed", func() {
		c := validCustomer(ns, uniqueDomain("brfmt"))
		c.Spec.Address = &v1alpha1.Address{AddressLine1: "Avenida Paulista 1000", City: "São Paulo", State: "SP", PostalCode: "01310-100", Country: "BR"}
		c.Spec.CompanyRegistrationID = "12345678000100"
		c.Spec.PhoneNumber = "+55 11 5555 0100"
		injected.arm(faultRegistrationIDRefused, c.Name)
		Expect(k8s.Create(ctx, c)).To(Succeed())
		got := eventually(c, haveCondition(v1alpha1.ConditionStalled, metav1.ConditionTrue, customer.ReasonCreateRefused.Name),
			"Partner Center's refusal was not shown")
		Expect(status.Get(got, v1alpha1.ConditionReady).Message).To(ContainSubstring(wire.CodeRegistrationIDInvalid))
		Expect(got.Annotations).To(HaveKeyWithValue(customer.AnnotationCreateAttempt, "2"))
		Expect(got.Annotations).NotTo(HaveKey(customer.AnnotationCreateRequestID))
		creates := simCalls(wire.OpCreateCustomer)
		Consistently(func() int { return simCalls(wire.OpCreateCustomer) }).WithTimeout(300*time.Millisecond).Should(Equal(creates),
			"a refused create was sent again without a spec change")

		got.Spec.CompanyRegistrationID = "12345678000190"
		Expect(k8s.Update(ctx, got)).To(Succeed())
		got = created(c)
		Expect(got.Annotations).To(HaveKeyWithValue(customer.AnnotationCreateAttempt, "2"))
		Expect(remoteCustomers(c.Spec.Domain)).To(HaveLen(1))
	})

	It("C9: sends the default-GDAP choice explicitly", func() {
		off := false
		c := validCustomer(ns, uniqueDomain("nogdap"))
		c.Spec.DefaultGDAP = &off
		Expect(k8s.Create(ctx, c)).To(Succeed())
		Expect(simDefaultGDAP(created(c).Status.CustomerID)).To(BeFalse())

		d := validCustomer(ns, uniqueDomain("gdap"))
		Expect(k8s.Create(ctx, d)).To(Succeed())
		Expect(simDefaultGDAP(created(d).Status.CustomerID)).To(BeTrue())
	})

	It("C12: events mark each transition", func() {
		c := validCustomer(ns, uniqueDomain("events"))
		Expect(k8s.Create(ctx, c)).To(Succeed())
		created(c)
		Eventually(func() map[string]string { return eventNotes(c) }).Should(And(
			HaveKeyWithValue(customer.EventCreated, ContainSubstring("attempt 1")), HaveKey(customer.EventCredentialsStored)))
		Expect(strings.Join(mapValues(eventNotes(c)), "")).NotTo(ContainSubstring(string(credentials(c).Data[customer.SecretKeyPassword])))
	})
})

func mapValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
