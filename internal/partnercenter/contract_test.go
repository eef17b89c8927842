package partnercenter_test

import (
	"context"
	"errors"
	"testing"
	"time"

	pc "github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/pcsim"
)

// Contract tests: the real client against the simulator over real HTTP.

var contractEpoch = time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)

const (
	contractOffer = "CFQ7TTC0LH0Z:0001:CFQ7TTC0K18P"
	contractMPN   = "4847383"
)

// contractEnv is a simulator server and a client pointed at it.
type contractEnv struct {
	srv    *pcsim.Server
	sim    *pcsim.Simulator
	client *pc.Client
	clock  *pcsim.SimClock
	ctx    context.Context
}

func newContractEnv(t *testing.T, cfg pcsim.Config, edit ...func(*pc.Options)) *contractEnv {
	t.Helper()
	if cfg.Clock == nil {
		cfg.Clock = pcsim.NewSimClock(contractEpoch)
	}
	srv, err := pcsim.NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	opts := pc.Options{
		BaseURL: srv.URL(), ARMBaseURL: srv.URL(), RetryDelay: 5 * time.Millisecond,
		AppOnly: pc.StaticTokenCredential(srv.Sim.IssueToken(pcsim.TokenAppOnly)),
		AppUser: pc.StaticTokenCredential(srv.Sim.IssueToken(pcsim.TokenAppUser)),
		ARM:     pc.StaticTokenCredential(srv.Sim.IssueToken(pcsim.TokenARM)),
	}
	for _, e := range edit {
		e(&opts)
	}
	client, err := pc.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return &contractEnv{srv: srv, sim: srv.Sim, client: client, clock: cfg.Clock, ctx: t.Context()}
}

// customerRequest is a valid create-customer request.
func customerRequest(domain, country, regNo string) wire.CustomerCreateRequest {
	return wire.CustomerCreateRequest{
		CompanyProfile: wire.CompanyProfile{Domain: domain, OrganizationRegistrationNumber: regNo},
		BillingProfile: wire.BillingProfile{
			Email: "it@" + domain, Culture: "en-US", Language: "en", CompanyName: "Contoso",
			DefaultAddress: &wire.Address{Country: country, City: "Warsaw", AddressLine1: "ul. Prosta 1",
				PostalCode: "00-838", FirstName: "Ada", LastName: "Lovelace", PhoneNumber: "48123456789"},
		},
	}
}

func (e *contractEnv) mustCreateCustomer(t *testing.T, requestID, domain string) *wire.Customer {
	t.Helper()
	c, err := e.client.CreateCustomer(e.ctx, requestID, customerRequest(domain, "US", ""))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func agreement(email string, agreed time.Time) wire.Agreement {
	return wire.Agreement{
		PrimaryContact: wire.Contact{FirstName: "Tania", LastName: "Carr", Email: email},
		TemplateID:     wire.MCATemplateID, DateAgreed: wire.FormatTime(agreed), Type: wire.AgreementTypeMCA,
	}
}

func order(partnerID string) wire.Order {
	return wire.Order{BillingCycle: wire.BillingCycleMonthly, PartnerOnRecordAttestationAccepted: true,
		LineItems: []wire.OrderLineItem{{LineItemNumber: 0, OfferID: contractOffer, Quantity: 5, TermDuration: wire.TermP1Y, PartnerIDOnRecord: partnerID}}}
}

func TestContractCustomerOperations(t *testing.T) {
	e := newContractEnv(t, pcsim.Config{})
	free, err := e.client.CheckDomainAvailable(e.ctx, "contoso.onmicrosoft.com")
	if err != nil || !free {
		t.Fatalf("domain free = %v, %v", free, err)
	}
	verdict, err := e.client.ValidateAddress(e.ctx, wire.Address{Country: "US", City: "Redmond", State: "WA", AddressLine1: "1 Microsoft Way", PostalCode: "98052"})
	if err != nil || !verdict.Passed() {
		t.Fatalf("address %+v, %v", verdict, err)
	}
	_, err = e.client.CreateCustomer(e.ctx, "rid-pl", customerRequest("pl.onmicrosoft.com", "PL", ""))
	if pc.ErrorCode(err) != wire.CodeRegistrationIDMissing {
		t.Fatalf("want 600049, got %v", err)
	}
	c := e.mustCreateCustomer(t, "rid-contoso", "contoso.onmicrosoft.com")
	if c.UserCredentials == nil || c.UserCredentials.Password == "" || c.ID != c.CompanyProfile.TenantID {
		t.Fatalf("created %+v", c)
	}
	if free, _ := e.client.CheckDomainAvailable(e.ctx, "contoso.onmicrosoft.com"); free {
		t.Fatal("domain still free after create")
	}
	got, err := e.client.GetCustomer(e.ctx, c.ID)
	if err != nil || got.UserCredentials != nil || got.CompanyProfile.Domain != "contoso.onmicrosoft.com" {
		t.Fatalf("get %+v, %v", got, err)
	}
	e.mustCreateCustomer(t, "rid-fabrikam", "fabrikam.onmicrosoft.com")
	all, err := e.client.ListAllCustomers(e.ctx, 1, nil)
	if err != nil || len(all) != 2 {
		t.Fatalf("paged list %d, %v", len(all), err)
	}
	byName, err := e.client.ListCustomers(e.ctx, pc.ListCustomersOptions{Filter: &wire.Filter{Field: wire.FilterFieldDomain, Value: "fab", Operator: wire.FilterOperatorStartsWith}})
	if err != nil || len(byName.Items) != 1 {
		t.Fatalf("filtered list %+v, %v", byName, err)
	}

	bp, err := e.client.GetBillingProfile(e.ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	stale := *bp
	bp.Email = "finance@contoso.example"
	updated, err := e.client.UpdateBillingProfile(e.ctx, "rid-bp-1", c.ID, *bp)
	if err != nil || updated.Attributes.Etag == bp.Attributes.Etag {
		t.Fatalf("update %+v, %v", updated, err)
	}
	stale.CompanyName = "Stale"
	if _, err := e.client.UpdateBillingProfile(e.ctx, "rid-bp-2", c.ID, stale); !pc.IsETagStale(err) {
		t.Fatalf("stale billing etag: %v", err)
	}

	quals, err := e.client.ListQualifications(e.ctx, c.ID)
	if err != nil || len(quals) != 0 {
		t.Fatalf("qualifications %+v, %v", quals, err)
	}
	q, err := e.client.CreateQualification(e.ctx, "rid-q", c.ID, wire.QualificationRequest{Qualification: wire.QualificationEducation, EducationSegment: wire.EducationSegmentK12})
	if err != nil || q.VettingStatus != wire.VettingInReview || q.CreatedDate() == "" {
		t.Fatalf("qualification %+v, %v", q, err)
	}
	if err := e.client.DeleteCustomer(e.ctx, "rid-del", c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.GetCustomer(e.ctx, c.ID); !pc.IsNotFound(err) {
		t.Fatalf("deleted customer: %v", err)
	}
}

func TestContractVerificationStatus(t *testing.T) {
	e := newContractEnv(t, pcsim.Config{VerificationDelay: 72 * time.Hour})
	c := e.mustCreateCustomer(t, "rid-1", "verify.onmicrosoft.com")
	st, err := e.client.GetAccountValidationStatus(e.ctx, c.ID)
	if err != nil || st.Status != wire.AccountStatusUnderReview {
		t.Fatalf("status %+v, %v", st, err)
	}
	e.clock.Advance(72 * time.Hour)
	if st, err = e.client.GetAccountValidationStatus(e.ctx, c.ID); err != nil || st.Status != wire.AccountStatusAllowed {
		t.Fatalf("after delay %+v, %v", st, err)
	}
	const tenant = "7d3c5e0a-3f0e-4d8e-9b0a-1f2e3d4c5b6a"
	if err := e.sim.AddExistingTenant(tenant, "Tailspin"); err != nil {
		t.Fatal(err)
	}
	if err := e.sim.AcceptRelationshipRequest(tenant); err != nil {
		t.Fatal(err)
	}
	if st, err := e.client.GetAccountValidationStatus(e.ctx, tenant); st != nil || err != nil {
		t.Fatalf("404/600074 should mean no status: %+v, %v", st, err)
	}
	if _, err := e.client.GetAccountValidationStatus(e.ctx, "unknown"); !pc.IsNotFound(err) {
		t.Fatalf("unknown customer: %v", err)
	}
}

func TestContractAgreementsAndResellers(t *testing.T) {
	// The legacy attestation is history: it is exercised before its retirement (attestations_contract_test.go has today's flow).
	e := newContractEnv(t, pcsim.Config{DirectSignDelay: -1, PartnershipAcceptDelay: time.Hour, Clock: pcsim.NewSimClock(legacyEpoch)})
	c := e.mustCreateCustomer(t, "rid-1", "mca.onmicrosoft.com")
	meta, err := e.client.GetAgreementMetadata(e.ctx)
	if err != nil || len(meta) != 1 || meta[0].TemplateID != wire.MCATemplateID {
		t.Fatalf("metadata %+v, %v", meta, err)
	}
	signed, err := e.client.GetDirectSignedStatus(e.ctx, c.ID)
	if err != nil || signed.IsSigned {
		t.Fatalf("direct signed %+v, %v", signed, err)
	}
	a, err := e.client.CreateAgreement(e.ctx, "rid-a1", c.ID, agreement("tania@mca.example", legacyEpoch.Add(-time.Hour)))
	if err != nil || a.UserID == "" {
		t.Fatalf("attest %+v, %v", a, err)
	}
	if _, err := e.client.CreateAgreement(e.ctx, "rid-a2", c.ID, agreement("tania@mca.example", legacyEpoch.Add(-time.Hour))); !pc.IsDuplicateAgreement(err) {
		t.Fatalf("duplicate: %v", err)
	}
	list, err := e.client.ListAgreements(e.ctx, c.ID)
	if err != nil || len(list) != 1 {
		t.Fatalf("agreements %+v, %v", list, err)
	}

	rr, err := e.client.GetRelationshipRequestURL(e.ctx)
	if err != nil || rr.URL == "" {
		t.Fatalf("relationship request %+v, %v", rr, err)
	}
	if err := e.sim.RegisterReseller(pcsim.Reseller{MPNID: "111", MPAUnsigned: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.GetResellerAgreementStatus(e.ctx, "111"); pc.ErrorCode(err) != wire.CodeMPANotSigned {
		t.Fatalf("unsigned MPA: %v", err)
	}
	status, err := e.client.GetResellerAgreementStatus(e.ctx, contractMPN)
	if err != nil || !status.IsAgreementSigned {
		t.Fatalf("MPA %+v, %v", status, err)
	}
	e.clock.Advance(time.Hour)
	resellers, err := e.client.ListIndirectResellers(e.ctx)
	if err != nil || len(resellers) != 1 || resellers[0].MpnID != contractMPN {
		t.Fatalf("resellers %+v, %v", resellers, err)
	}
	indirect := customerRequest("indirect.onmicrosoft.com", "US", "")
	indirect.AssociatedPartnerID = resellers[0].ID
	ic, err := e.client.CreateCustomer(e.ctx, "rid-indirect", indirect)
	if err != nil || ic.AssociatedPartnerID != resellers[0].ID {
		t.Fatalf("indirect customer %+v, %v", ic, err)
	}
	ofReseller, err := e.client.ListAllCustomers(e.ctx, 0, pc.IndirectResellerFilter(resellers[0].ID))
	if err != nil || len(ofReseller) != 1 || ofReseller[0].ID != ic.ID {
		t.Fatalf("customers of reseller %+v, %v", ofReseller, err)
	}
}

func TestContractOrdersAndSubscriptions(t *testing.T) {
	e := newContractEnv(t, pcsim.Config{ManualVerification: true, DirectSignDelay: -1, PartnershipAcceptDelay: 0, OrderCompletionDelay: time.Minute})
	c := e.mustCreateCustomer(t, "rid-1", "orders.onmicrosoft.com")
	if _, err := e.client.CreateOrder(e.ctx, "rid-o1", c.ID, order("")); !pc.IsCustomerNotApproved(err) || pc.ErrorCode(err) != wire.CodeCustomerUnderReview {
		t.Fatalf("under review: %v", err)
	}
	if err := e.sim.ApproveVerification(c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.CreateOrder(e.ctx, "rid-o2", c.ID, order("")); !pc.IsAgreementMissing(err) {
		t.Fatalf("no MCA: %v", err)
	}
	e.attestEnhanced(t, c.ID, "tania@orders.example")
	if _, err := e.client.GetResellerAgreementStatus(e.ctx, contractMPN); err != nil {
		t.Fatal(err)
	}
	o, err := e.client.CreateOrder(e.ctx, "rid-o3", c.ID, order(contractMPN))
	if err != nil || o.Status != wire.OrderStatusPending || o.LineItems[0].SubscriptionID == "" {
		t.Fatalf("order %+v, %v", o, err)
	}
	if _, err := e.client.CreateOrder(e.ctx, "rid-o4", c.ID, order(contractMPN)); !pc.IsOrderInProgress(err) {
		t.Fatalf("in progress: %v", err)
	}
	e.clock.Advance(time.Minute)
	if o, err = e.client.GetOrder(e.ctx, c.ID, o.ID); err != nil || o.Status != wire.OrderStatusCompleted {
		t.Fatalf("completed %+v, %v", o, err)
	}
	subs, err := e.client.ListSubscriptionsByOrder(e.ctx, c.ID, o.ID)
	if err != nil || len(subs) != 1 || subs[0].PartnerID != contractMPN {
		t.Fatalf("subscriptions by order %+v, %v", subs, err)
	}
	if all, err := e.client.ListSubscriptions(e.ctx, c.ID); err != nil || len(all) != 1 {
		t.Fatalf("subscriptions %+v, %v", all, err)
	}
	sub, err := e.client.GetSubscription(e.ctx, c.ID, subs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	stale := *sub
	sub.Quantity = 7
	res, err := e.client.UpdateSubscription(e.ctx, "rid-s1", c.ID, *sub)
	if err != nil || res.Subscription.Quantity != 7 {
		t.Fatalf("patch %+v, %v", res, err)
	}
	stale.Quantity = 9
	if _, err := e.client.UpdateSubscription(e.ctx, "rid-s2", c.ID, stale); !pc.IsETagStale(err) || pc.ErrorCode(err) != wire.CodeSubscriptionETagStale {
		t.Fatalf("stale etag: %v", err)
	}
	resellers, err := e.client.ListIndirectResellers(e.ctx)
	if err != nil || len(resellers) != 1 {
		t.Fatalf("resellers %+v, %v", resellers, err)
	}
	contact, err := e.client.UpdateSupportContact(e.ctx, "rid-sc", c.ID, sub.ID, wire.SupportContact{SupportTenantID: resellers[0].ID, SupportMpnID: contractMPN})
	if err != nil || contact.SupportMpnID != contractMPN {
		t.Fatalf("support contact %+v, %v", contact, err)
	}
	policy, err := e.client.SetCostManagementPolicy(e.ctx, "rid-p", "acct", c.ID, wire.ViewChargesAllowed)
	if err != nil || policy.Properties.ViewCharges != wire.ViewChargesAllowed {
		t.Fatalf("policy %+v, %v", policy, err)
	}
}

func TestContractReplayAfterDroppedResponse(t *testing.T) {
	e := newContractEnv(t, pcsim.Config{DropAfterWriteRate: 1}, func(o *pc.Options) { o.MaxRetries = -1 })
	req := customerRequest("dropped.onmicrosoft.com", "US", "")
	if _, err := e.client.CreateCustomer(e.ctx, "rid-create", req); err == nil {
		t.Fatal("the dropped response should fail the first call")
	}
	c, err := e.client.CreateCustomer(e.ctx, "rid-create", req)
	if err != nil || c.UserCredentials == nil {
		t.Fatalf("replay %+v, %v", c, err)
	}
	if n := len(e.sim.Customers()); n != 1 {
		t.Fatalf("%d customers after a replayed create", n)
	}
	if _, err := e.client.CreateOrder(e.ctx, "rid-order", c.ID, order("")); err == nil {
		t.Fatal("the dropped response should fail the first order")
	}
	o, err := e.client.CreateOrder(e.ctx, "rid-order", c.ID, order(""))
	if err != nil || o.ID == "" {
		t.Fatalf("replayed order %+v, %v", o, err)
	}
	if n := len(e.sim.Orders()); n != 1 || e.sim.Calls(wire.OpCreateOrder) != 2 {
		t.Fatalf("%d orders, %d calls", n, e.sim.Calls(wire.OpCreateOrder))
	}
}

func TestContractClientHonoursRetryAfter(t *testing.T) {
	e := newContractEnv(t, pcsim.Config{ThrottleRate: 0.25, RetryAfter: time.Second, Seed: 3})
	c := e.mustCreateCustomerThrottled(t)
	for range 3 {
		e.retryThrottled(t, func() error { _, err := e.client.GetCustomer(e.ctx, c.ID); return err })
	}
	if e.sim.ThrottleViolations() != 0 {
		t.Fatalf("client sent %d calls before Retry-After", e.sim.ThrottleViolations())
	}
	if e.sim.Calls(wire.OpGetCustomer) <= 3 {
		t.Fatalf("the simulator never throttled (%d calls), the test proves nothing", e.sim.Calls(wire.OpGetCustomer))
	}
}

// mustCreateCustomerThrottled creates a customer, waiting out throttling like a reconciler would.
func (e *contractEnv) mustCreateCustomerThrottled(t *testing.T) *wire.Customer {
	var c *wire.Customer
	e.retryThrottled(t, func() error {
		var err error
		c, err = e.client.CreateCustomer(e.ctx, "rid-throttled", customerRequest("throttled.onmicrosoft.com", "US", ""))
		return err
	})
	return c
}

// retryThrottled runs call until it is not throttled, waiting the server's delay in between.
func (e *contractEnv) retryThrottled(t *testing.T, call func() error) {
	t.Helper()
	for {
		err := call()
		wait, throttled := pc.IsThrottled(err)
		if !throttled {
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Fatal(err)
			}
			return
		}
		time.Sleep(wait)
	}
}
