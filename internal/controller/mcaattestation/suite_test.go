package mcaattestation_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/config"
	"github.com/cspforge/partnercenter-operator/internal/controller"
	"github.com/cspforge/partnercenter-operator/internal/controller/customer"
	"github.com/cspforge/partnercenter-operator/internal/controller/mcaattestation"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
	"github.com/cspforge/partnercenter-operator/internal/testenv"
	webhookv1alpha1 "github.com/cspforge/partnercenter-operator/internal/webhook/v1alpha1"
)

func TestMCAAttestation(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "MCAAttestation controller")
}

var (
	env      *testenv.Env
	k8s      client.Client
	sim      *pcsim.Simulator
	external *faultyExternal
)

// startEnv starts envtest + simulator + manager with the MCAAttestation
// reconciler (behind the returned faultyExternal) and its webhook, plus the
// Customer reconciler, for an operator of role. Most tests pause their
// Customers and give them a customer ID themselves, playing the Customer
// controller's part; the batch test lets the real one create its customer.
func startEnv(role config.PartnerRole) (*testenv.Env, *faultyExternal) {
	external := &faultyExternal{}
	e := startWebhookEnv(role, func(mgr ctrl.Manager, deps controller.Deps) error {
		if err := customer.SetupWithManager(mgr, deps); err != nil {
			return err
		}
		external.External = deps.PartnerCenter
		r := &mcaattestation.Reconciler{
			Client:   mgr.GetClient(),
			External: external,
			Reporter: phase.Reporter{Config: deps.Config, Recorder: mgr.GetEventRecorder(mcaattestation.ControllerName)},
		}
		return r.SetupWithManager(mgr)
	})
	return e, external
}

// startWebhookEnv starts an environment serving the MCAAttestation webhook
// for an operator of role, plus whatever setup registers.
func startWebhookEnv(role config.PartnerRole, setup func(ctrl.Manager, controller.Deps) error) *testenv.Env {
	e, err := testenv.Start(testenv.Options{
		Role:          role,
		PartnerDomain: "partner.example",
		// Customers never sign directly unless a test makes them (CustomerSignsMCA).
		Sim: pcsim.Config{DirectSignDelay: -1},
		Setup: func(mgr ctrl.Manager, deps controller.Deps) error {
			if setup != nil {
				if err := setup(mgr, deps); err != nil {
					return err
				}
			}
			return webhookv1alpha1.SetupMCAAttestationWebhookWithManager(mgr, deps.Config)
		},
		WebhookResources: []string{"mcaattestations"},
	})
	Expect(err).NotTo(HaveOccurred())
	testenv.WaitForWebhook(e.Client, directAcceptance("default", "webhook-probe", "nobody"))
	return e
}

var _ = BeforeSuite(func() {
	ctrl.SetLogger(GinkgoLogr)
	testenv.FastPolls()
	env, external = startEnv(config.RoleIndirectProvider)
	k8s, sim = env.Client, env.Sim
})

var _ = AfterSuite(func() {
	if env != nil {
		Expect(env.Stop()).To(Succeed())
	}
})

// faultyExternal is Partner Center with test switches: answers to
// CreateAttestedAgreement (loseCreateAnswers) or CreateEnhancedAttestation
// (loseAttestationAnswers) that are lost after Partner Center acted. It
// records the MS-RequestId of every agreement call and, when beforeCreate is
// set, runs it just before the call goes out.
type faultyExternal struct {
	mcaattestation.External
	loseCreateAnswers      atomic.Int32
	loseAttestationAnswers atomic.Int32
	// metadataReads counts the reconciler's reads of the agreement metadata;
	// directSignedReads holds the customer IDs whose direct-signed status it
	// read, listedBeforeAttesting those whose agreements it listed before
	// sending them an attestation (attested).
	metadataReads         atomic.Int32
	directSignedReads     sync.Map
	listedBeforeAttesting sync.Map
	attested              sync.Map

	mu           sync.Mutex
	requestIDs   []string
	beforeCreate func(requestID string)
}

func (f *faultyExternal) CreateAttestedAgreement(ctx context.Context, requestID, customerID string, a wire.Agreement) (*wire.Agreement, error) {
	f.mu.Lock()
	f.requestIDs = append(f.requestIDs, requestID)
	f.attested.Store(customerID, true)
	before := f.beforeCreate
	f.mu.Unlock()
	if before != nil {
		before(requestID)
	}
	out, err := f.External.CreateAttestedAgreement(ctx, requestID, customerID, a)
	if err == nil && f.loseCreateAnswers.Add(-1) >= 0 {
		return nil, &partnercenter.Error{StatusCode: 504, Description: "gateway timeout after the agreement was recorded"}
	}
	return out, err
}

func (f *faultyExternal) CreateEnhancedAttestation(ctx context.Context, requestID string, req wire.EnhancedAttestationRequest) (*wire.EnhancedAttestation, error) {
	out, err := f.External.CreateEnhancedAttestation(ctx, requestID, req)
	if err == nil && f.loseAttestationAnswers.Add(-1) >= 0 {
		return nil, &partnercenter.Error{StatusCode: 504, Description: "gateway timeout after the attestation was created"}
	}
	return out, err
}

func (f *faultyExternal) ListAgreements(ctx context.Context, customerID string) ([]wire.Agreement, error) {
	if _, done := f.attested.Load(customerID); !done {
		f.listedBeforeAttesting.Store(customerID, true)
	}
	return f.External.ListAgreements(ctx, customerID)
}

func (f *faultyExternal) GetAgreementMetadata(ctx context.Context) ([]wire.AgreementMetadata, error) {
	f.metadataReads.Add(1)
	return f.External.GetAgreementMetadata(ctx)
}

func (f *faultyExternal) GetDirectSignedStatus(ctx context.Context, customerID string) (*wire.DirectSignedStatus, error) {
	f.directSignedReads.Store(customerID, true)
	return f.External.GetDirectSignedStatus(ctx, customerID)
}

// setBeforeCreate installs (or, with nil, removes) the hook run before each attestation call.
func (f *faultyExternal) setBeforeCreate(hook func(requestID string)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.beforeCreate = hook
}

// attestRequestIDs is a copy of the MS-RequestIds sent so far.
func (f *faultyExternal) attestRequestIDs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.requestIDs...)
}

// newNamespace creates a namespace for one test.
func newNamespace() string { return testenv.NewNamespace(k8s, "m-") }

// today is the simulated date, YYYY-MM-DD in UTC.
func today() string { return env.Clock.Now().UTC().Format(time.DateOnly) }

// partnerAttestation is a valid PartnerAttestation for customer, accepted today.
func partnerAttestation(ns, name, customer string) *v1alpha1.MCAAttestation {
	return &v1alpha1.MCAAttestation{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MCAAttestationSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: customer},
			Method:      v1alpha1.MethodPartnerAttestation,
			AcceptedBy:  &v1alpha1.AcceptingPerson{FirstName: "Tania", LastName: "Carr", Email: "tania@" + customer + ".example", PhoneNumber: "1234567890"},
			DateAgreed:  today(),
		},
	}
}

// directAcceptance is a DirectAcceptance for customer.
func directAcceptance(ns, name, customer string) *v1alpha1.MCAAttestation {
	return &v1alpha1.MCAAttestation{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.MCAAttestationSpec{
			CustomerRef: v1alpha1.LocalObjectReference{Name: customer},
			Method:      v1alpha1.MethodDirectAcceptance,
		},
	}
}

// newCustomerObject is a Customer declaring a new tenant, paused: the
// Customer controller leaves it to the test (see giveCustomerID).
func newCustomerObject(ns, name string) *v1alpha1.Customer {
	c := liveCustomerObject(ns, name, name)
	c.Annotations = map[string]string{v1alpha1.AnnotationPaused: "true"}
	return c
}

// liveCustomerObject is a Customer declaring a new tenant with that domain,
// which the Customer controller creates in Partner Center.
func liveCustomerObject(ns, name, domain string) *v1alpha1.Customer {
	return &v1alpha1.Customer{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: v1alpha1.CustomerSpec{
			CompanyName: "Contoso Ltd", Domain: domain, Email: "billing@contoso.example",
			Address:        &v1alpha1.Address{AddressLine1: "1 Microsoft Way", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
			PrimaryContact: &v1alpha1.Contact{FirstName: "Maria", LastName: "Silva", Email: "maria@contoso.example"},
		},
	}
}

// remoteCustomer makes a customer visible to the partner in the simulator and returns its ID.
func remoteCustomer() string {
	id := uuid.NewString()
	Expect(sim.AddExistingTenant(id, "Contoso Ltd")).To(Succeed())
	Expect(sim.AcceptRelationshipRequest(id)).To(Succeed())
	return id
}

// giveCustomerID records the Partner Center customer ID (and credentials
// Secret name) on the Customer's status, as the Customer controller does.
func giveCustomerID(c *v1alpha1.Customer, customerID, secretName string) {
	Eventually(func() error {
		cur := &v1alpha1.Customer{}
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(c), cur); err != nil {
			return err
		}
		cur.Status.CustomerID, cur.Status.CredentialsSecretName = customerID, secretName
		return k8s.Status().Update(context.Background(), cur)
	}).Should(Succeed())
}

// existingCustomer creates a Customer with a customer ID in Partner Center
// and returns it with that ID.
func existingCustomer(ns, name string) (*v1alpha1.Customer, string) {
	c := newCustomerObject(ns, name)
	Expect(k8s.Create(context.Background(), c)).To(Succeed())
	id := remoteCustomer()
	giveCustomerID(c, id, c.CredentialsSecretName())
	return c, id
}

// accepted waits until the attestation is Ready with Accepted=True.
func accepted(a *v1alpha1.MCAAttestation) *v1alpha1.MCAAttestation {
	return eventually(a, func(a *v1alpha1.MCAAttestation) bool {
		return hasCondition(a, v1alpha1.ConditionReady, metav1.ConditionTrue, mcaattestation.ReasonAccepted.Name) &&
			hasCondition(a, v1alpha1.ConditionAccepted, metav1.ConditionTrue, mcaattestation.ReasonAccepted.Name)
	}, "the acceptance was never confirmed")
}

// waitingWith waits until Ready=False with that reason.
func waitingWith(a *v1alpha1.MCAAttestation, reason string) *v1alpha1.MCAAttestation {
	return eventually(a, func(a *v1alpha1.MCAAttestation) bool {
		return hasCondition(a, v1alpha1.ConditionReady, metav1.ConditionFalse, reason)
	}, "never reported "+reason)
}

// noticesFor lists the notices the simulator sent about a customer so far.
func noticesFor(customerID string) []pcsim.Notice {
	var out []pcsim.Notice
	for _, n := range sim.Outbox() {
		if n.CustomerID == customerID {
			out = append(out, n)
		}
	}
	return out
}

// get reads the MCAAttestation again.
func get(a *v1alpha1.MCAAttestation) *v1alpha1.MCAAttestation { return testenv.Fetch(k8s, a) }

// hasCondition tells whether the condition has that status and (if given) reason.
func hasCondition(a *v1alpha1.MCAAttestation, condType string, st metav1.ConditionStatus, reason string) bool {
	return testenv.HasCondition(a, condType, st, reason)
}

// eventually polls the MCAAttestation until match holds and returns it.
func eventually(a *v1alpha1.MCAAttestation, match func(*v1alpha1.MCAAttestation) bool, what string) *v1alpha1.MCAAttestation {
	return testenv.Eventually(k8s, a, match, what)
}

// eventNotes lists the notes of the events about the attestation, by reason.
func eventNotes(a *v1alpha1.MCAAttestation) map[string]string { return testenv.EventNotes(k8s, a) }

// attestOutside confirms a customer's MCA the way a partner user does in
// the Partner Center portal, outside the operator: an enhanced attestation
// for that signatory, accepted by the customer, and its agreement.
func attestOutside(customerID string, signatory wire.Contact) {
	ctx := context.Background()
	att, err := env.PC.CreateEnhancedAttestation(ctx, uuid.NewString(), wire.EnhancedAttestationRequest{
		Country: "US", Language: "en", CompanyName: "Contoso Ltd",
		SignatoryFirstName: signatory.FirstName, SignatoryLastName: signatory.LastName,
		SignatoryEmail: signatory.Email, SignatoryPhoneNumber: signatory.PhoneNumber,
	})
	Expect(err).NotTo(HaveOccurred())
	Expect(sim.CustomerAcceptsAttestation(att.AttestationID)).To(Succeed())
	_, err = env.PC.CreateAttestedAgreement(ctx, uuid.NewString(), customerID, wire.Agreement{
		PrimaryContact: signatory, TemplateID: wire.MCATemplateID, Type: wire.AgreementTypeMCA, AttestationID: att.AttestationID,
	})
	Expect(err).NotTo(HaveOccurred())
}

// simRecord is the simulator's record of a customer.
func simRecord(customerID string) pcsim.CustomerRecord {
	r, ok := sim.Customer(customerID)
	Expect(ok).To(BeTrue(), "the simulator has no customer "+customerID)
	return r
}
