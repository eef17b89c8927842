package metrics

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/go-logr/logr"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"github.com/prometheus/client_golang/prometheus/testutil"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	ctrlmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

var (
	waiting  = status.Reason{Name: "VerificationUnderReview", Class: status.RetrySlow}
	rejected = status.Reason{Name: "AddressRejected", Class: status.NeedsUser}
	done     = status.Reason{Name: "Ready", Class: status.Settled}
)

// stateMetrics are the gauges the collector exports.
var stateMetrics = []string{
	"partnercenter_objects", "partnercenter_objects_stalled", "partnercenter_customers", "partnercenter_customers_agreement",
	"partnercenter_subscriptions_blocked", "partnercenter_subscription_changes_blocked", "partnercenter_reseller_partnerships",
}

// create stores obj and then writes the status edit makes, through the status subresource.
func create(ns string, obj status.Object, edit func()) {
	ctx := context.Background()
	obj.SetNamespace(ns)
	Expect(k8sClient.Create(ctx, obj)).To(Succeed())
	if edit != nil {
		edit()
		Expect(k8sClient.Status().Update(ctx, obj)).To(Succeed())
	}
}

func customer(name string) *v1alpha1.Customer {
	return &v1alpha1.Customer{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: v1alpha1.CustomerSpec{
			CompanyName: "Fabrikam B.V.", Domain: name, Email: "billing@fabrikam.example",
			Address:        &v1alpha1.Address{AddressLine1: "Keizersgracht 1", City: "Amsterdam", PostalCode: "1015 CJ", Country: "NL"},
			PrimaryContact: &v1alpha1.Contact{FirstName: "Anna", LastName: "de Vries"},
		},
	}
}

func subscription(name string) *v1alpha1.Subscription {
	return &v1alpha1.Subscription{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: v1alpha1.SubscriptionSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: "fabrikam"}, OfferID: "CFQ7TTC0LDPB:0001:CFQ7TTC0K3BV", Quantity: 1,
		},
	}
}

func partnership(name string) *v1alpha1.ResellerPartnership {
	return &v1alpha1.ResellerPartnership{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec:       v1alpha1.ResellerPartnershipSpec{ResellerMPNID: "4847383", ResellerEmail: "partners@firstup.example"},
	}
}

// blockOrder writes the order gate's verdict on a subscription.
func blockOrder(s *v1alpha1.Subscription, condType, reason string) func() {
	return func() {
		status.MarkTrue(s, condType, status.Reason{Name: reason, Class: status.RetrySlow}, "held")
		status.Report(s, status.Outcome{Reason: status.Reason{Name: reason, Class: status.RetrySlow}, Message: "held"})
	}
}

var _ = Describe("state gauges read from the cache", func() {
	It("count every kind by Ready, Stalled, verification, agreement, order gate and phase", func() {
		ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "metrics-"}}
		Expect(k8sClient.Create(context.Background(), ns)).To(Succeed())

		untouched := customer("untouched")
		create(ns.Name, untouched, nil)
		underReview := customer("underreview")
		create(ns.Name, underReview, func() {
			underReview.Status.CustomerID, underReview.Status.VerificationStatus = "7d6f0a2e-0000-4000-8000-000000000001", "UnderReview"
			underReview.Status.AgreementStatus = v1alpha1.AgreementNotProvided
			status.Report(underReview, status.Outcome{Reason: waiting, Message: "Microsoft is verifying the customer."})
		})
		approved := customer("approved")
		create(ns.Name, approved, func() {
			approved.Status.CustomerID, approved.Status.VerificationStatus = "7d6f0a2e-0000-4000-8000-000000000002", "Allowed"
			approved.Status.AgreementStatus = v1alpha1.AgreementProvided
			status.Report(approved, status.Outcome{Ready: true, Reason: done})
		})
		badAddress := customer("badaddress")
		create(ns.Name, badAddress, func() {
			status.Report(badAddress, status.Outcome{Reason: rejected, Message: "Pick a suggested address."})
		})

		attestation := &v1alpha1.MCAAttestation{
			ObjectMeta: metav1.ObjectMeta{Name: "approved"},
			Spec:       v1alpha1.MCAAttestationSpec{CustomerRef: v1alpha1.LocalObjectReference{Name: "approved"}, Method: v1alpha1.MethodDirectAcceptance},
		}
		create(ns.Name, attestation, func() { status.Report(attestation, status.Outcome{Ready: true, Reason: done}) })

		requested := partnership("requested")
		create(ns.Name, requested, func() {
			requested.Status.Phase = v1alpha1.PhaseRequested
			status.Report(requested, status.Outcome{Reason: waiting, Message: "Waiting for the reseller."})
		})
		active := partnership("active")
		create(ns.Name, active, func() {
			active.Status.Phase = v1alpha1.PhaseActive
			status.Report(active, status.Outcome{Ready: true, Reason: done})
		})

		notApproved := subscription("notapproved")
		create(ns.Name, notApproved, blockOrder(notApproved, v1alpha1.ConditionOrderBlocked, v1alpha1.ReasonCustomerNotApproved))
		noAgreement := subscription("noagreement")
		create(ns.Name, noAgreement, blockOrder(noAgreement, v1alpha1.ConditionOrderBlocked, v1alpha1.ReasonAgreementNotAccepted))
		changesHeld := subscription("changesheld")
		create(ns.Name, changesHeld, blockOrder(changesHeld, v1alpha1.ConditionChangesBlocked, "CustomerReverificationInProgress"))

		Eventually(func() error {
			return testutil.GatherAndCompare(ctrlmetrics.Registry, strings.NewReader(wantScenario), stateMetrics...)
		}).WithTimeout(10 * time.Second).WithPolling(100 * time.Millisecond).Should(Succeed())
	})

	It("export the failed-read counter of every kind at zero before any failure", func() {
		c := NewStateCollector(nil, logr.Discard())
		Expect(testutil.CollectAndCompare(c.listErrors, strings.NewReader(strings.ReplaceAll(wantListErrors, "} 2", "} 0")))).To(Succeed())
	})

	It("leave out a kind whose read fails and count the failure, instead of failing the scrape", func() {
		c := NewStateCollector(failingReader{}, logr.Discard())
		Expect(testutil.CollectAndCount(c, "partnercenter_objects")).To(BeZero())
		Expect(testutil.CollectAndCompare(c, strings.NewReader(wantListErrors), "partnercenter_state_metrics_errors_total")).To(Succeed())
	})
})

// failingReader is a cache that cannot be read.
type failingReader struct{ client.Reader }

func (failingReader) List(context.Context, client.ObjectList, ...client.ListOption) error {
	return errors.New("cache not started")
}

// wantListErrors: the second collect of the failing collector (CollectAndCount
// was the first), one failure per kind each time.
const wantListErrors = `
# HELP partnercenter_state_metrics_errors_total Failed reads of the cache while computing the partnercenter_* state gauges, by kind.
# TYPE partnercenter_state_metrics_errors_total counter
partnercenter_state_metrics_errors_total{kind="Customer"} 2
partnercenter_state_metrics_errors_total{kind="MCAAttestation"} 2
partnercenter_state_metrics_errors_total{kind="ResellerPartnership"} 2
partnercenter_state_metrics_errors_total{kind="Subscription"} 2
`

// wantScenario is what the objects of the scenario add up to.
const wantScenario = `
# HELP partnercenter_objects Objects of this operator by kind and status of their Ready condition (True, False, Unknown).
# TYPE partnercenter_objects gauge
partnercenter_objects{kind="Customer",ready="False"} 2
partnercenter_objects{kind="Customer",ready="True"} 1
partnercenter_objects{kind="Customer",ready="Unknown"} 1
partnercenter_objects{kind="MCAAttestation",ready="False"} 0
partnercenter_objects{kind="MCAAttestation",ready="True"} 1
partnercenter_objects{kind="MCAAttestation",ready="Unknown"} 0
partnercenter_objects{kind="ResellerPartnership",ready="False"} 1
partnercenter_objects{kind="ResellerPartnership",ready="True"} 1
partnercenter_objects{kind="ResellerPartnership",ready="Unknown"} 0
partnercenter_objects{kind="Subscription",ready="False"} 3
partnercenter_objects{kind="Subscription",ready="True"} 0
partnercenter_objects{kind="Subscription",ready="Unknown"} 0
# HELP partnercenter_objects_stalled Objects that only a person can unblock (Stalled=True), by kind and reason.
# TYPE partnercenter_objects_stalled gauge
partnercenter_objects_stalled{kind="Customer",reason="AddressRejected"} 1
# HELP partnercenter_customers Customers by account verification status as Partner Center reports it (None: no status, NotCreated: not in Partner Center yet).
# TYPE partnercenter_customers gauge
partnercenter_customers{verification_status="Allowed"} 1
partnercenter_customers{verification_status="None"} 0
partnercenter_customers{verification_status="Not Ready"} 0
partnercenter_customers{verification_status="NotAllowed"} 0
partnercenter_customers{verification_status="NotCreated"} 2
partnercenter_customers{verification_status="UnderReview"} 1
partnercenter_customers{verification_status="Unknown"} 0
# HELP partnercenter_customers_agreement Customers by Microsoft Customer Agreement status (Provided, NotProvided, None).
# TYPE partnercenter_customers_agreement gauge
partnercenter_customers_agreement{agreement_status="None"} 2
partnercenter_customers_agreement{agreement_status="NotProvided"} 1
partnercenter_customers_agreement{agreement_status="Provided"} 1
# HELP partnercenter_subscriptions_blocked Subscriptions whose order the order gate holds (OrderBlocked=True), by reason.
# TYPE partnercenter_subscriptions_blocked gauge
partnercenter_subscriptions_blocked{reason="AgreementNotAccepted"} 1
partnercenter_subscriptions_blocked{reason="CustomerNotApproved"} 1
partnercenter_subscriptions_blocked{reason="CustomerNotCreated"} 0
partnercenter_subscriptions_blocked{reason="ResellerPartnershipNotActive"} 0
# HELP partnercenter_subscription_changes_blocked Subscriptions whose changes are held (ChangesBlocked=True), by reason.
# TYPE partnercenter_subscription_changes_blocked gauge
partnercenter_subscription_changes_blocked{reason="CustomerReverificationInProgress"} 1
# HELP partnercenter_reseller_partnerships ResellerPartnerships by phase (Requested, Active, RemovalPending, Removed, None).
# TYPE partnercenter_reseller_partnerships gauge
partnercenter_reseller_partnerships{phase="Active"} 1
partnercenter_reseller_partnerships{phase="None"} 0
partnercenter_reseller_partnerships{phase="Removed"} 0
partnercenter_reseller_partnerships{phase="RemovalPending"} 0
partnercenter_reseller_partnerships{phase="Requested"} 1
`
