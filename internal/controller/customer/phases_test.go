package customer

import (
	"context"
	"maps"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

func TestC10VerificationOfEveryAccountStatus(t *testing.T) {
	cases := []struct {
		accountStatus string
		verified      bool
		class         status.RetryClass
	}{
		{"", true, status.Settled},
		{wire.AccountStatusAllowed, true, status.Settled},
		{wire.AccountStatusUnderReview, false, status.RetrySlow},
		{wire.AccountStatusUnknown, false, status.RetrySlow},
		{wire.AccountStatusNotReady, false, status.RetrySlow},
		{wire.AccountStatusNotAllowed, false, status.NeedsUser},
	}
	for _, tc := range cases {
		t.Run(tc.accountStatus, func(t *testing.T) {
			v := verificationOf(tc.accountStatus)
			if v.verified != tc.verified || v.reason.Class != tc.class {
				t.Fatalf("verificationOf(%q) = verified %v class %s, want %v %s", tc.accountStatus, v.verified, v.reason.Class, tc.verified, tc.class)
			}
		})
	}
}

func TestC10BillingRelevantFieldsTriggerAnUpdate(t *testing.T) {
	spec := v1alpha1.CustomerSpec{
		CompanyName: "Contoso Ltd", Email: "billing@contoso.example", PhoneNumber: "+1 425 555 0100",
		Address: &v1alpha1.Address{AddressLine1: "1 Main St", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
	}
	inSync := func() *wire.BillingProfile {
		a := desiredAddress(&spec)
		a.FirstName = "Maria"
		return &wire.BillingProfile{CompanyName: "CONTOSO LTD ", Email: spec.Email, DefaultAddress: &a}
	}
	if differ := billingProfileDiff(&spec, inSync()); len(differ) > 0 {
		t.Fatal("a profile equal up to case and spaces counts as changed")
	}
	edits := map[string]func(*wire.BillingProfile){
		"companyName":          func(p *wire.BillingProfile) { p.CompanyName = "Fabrikam" },
		"email":                func(p *wire.BillingProfile) { p.Email = "old@contoso.example" },
		"address.addressLine1": func(p *wire.BillingProfile) { p.DefaultAddress.AddressLine1 = "2 Main St" },
		"address.postalCode":   func(p *wire.BillingProfile) { p.DefaultAddress.PostalCode = "98053" },
		"phoneNumber":          func(p *wire.BillingProfile) { p.DefaultAddress.PhoneNumber = "+1 425 555 0199" },
	}
	for name, edit := range edits {
		p := inSync()
		edit(p)
		if differ := billingProfileDiff(&spec, p); len(differ) != 1 || differ[0] != name {
			t.Errorf("a changed %s is seen as %v", name, differ)
		}
	}
}

func TestC9DefaultGDAPIsAlwaysExplicit(t *testing.T) {
	off := false
	for _, tc := range []struct {
		choice *bool
		want   bool
	}{{nil, true}, {&off, false}} {
		c := &v1alpha1.Customer{Spec: v1alpha1.CustomerSpec{Domain: "contoso", DefaultGDAP: tc.choice}}
		req := createRequest(c, nil)
		if req.EnableGDAPByDefault == nil || *req.EnableGDAPByDefault != tc.want {
			t.Fatalf("defaultGDAP %v sent as %v, want explicit %v", tc.choice, req.EnableGDAPByDefault, tc.want)
		}
	}
}

func TestRequestIDsAreStablePerIntent(t *testing.T) {
	c := &v1alpha1.Customer{ObjectMeta: metav1.ObjectMeta{UID: "0b6f4a0e-1111-2222-3333-444455556666"}}
	if requestID(c, "create/1") != requestID(c, "create/1") {
		t.Fatal("the same intent must replay the same MS-RequestId")
	}
	if requestID(c, "create/1") == requestID(c, "create/2") {
		t.Fatal("a new attempt must get a new MS-RequestId")
	}
}

// readCounter is Partner Center for the phases that read a customer back;
// any other call panics (the embedded interface is nil).
type readCounter struct {
	External
	profile *wire.BillingProfile
	reads   map[string]int
}

func (f *readCounter) GetBillingProfile(context.Context, string) (*wire.BillingProfile, error) {
	f.reads[wire.OpGetBillingProfile]++
	return f.profile, nil
}

func (f *readCounter) ListAgreements(context.Context, string) ([]wire.Agreement, error) {
	f.reads[wire.OpListAgreements]++
	return nil, nil
}

func (f *readCounter) GetDirectSignedStatus(context.Context, string) (*wire.DirectSignedStatus, error) {
	f.reads[wire.OpGetDirectSignedStatus]++
	return &wire.DirectSignedStatus{}, nil
}

func TestACustomerCreatedInThisPassIsNotReadBack(t *testing.T) {
	c := &v1alpha1.Customer{Spec: v1alpha1.CustomerSpec{
		CompanyName: "Contoso Ltd", Email: "billing@contoso.example", Domain: "contoso",
		Address: &v1alpha1.Address{AddressLine1: "1 Main St", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
	}}
	c.Status.CustomerID = "c-1"
	stored := createRequest(c, nil).BillingProfile
	for _, tc := range []struct {
		name      string
		p         *pass
		wantReads int
	}{
		{"created in this pass: the create answer is the profile, and no agreement can exist yet", &pass{created: &wire.Customer{ID: "c-1", BillingProfile: &stored}}, 0},
		{"existed before: both are read back", &pass{}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pc := &readCounter{profile: &stored, reads: map[string]int{}}
			r := &Reconciler{External: pc}
			ctx := context.Background()
			for _, phase := range []func(context.Context, *v1alpha1.Customer, *pass) (*phase.Halt, error){r.syncBillingProfile, r.observeAgreement} {
				if h, err := phase(ctx, c, tc.p); h != nil || err != nil {
					t.Fatalf("halt %v, err %v", h, err)
				}
			}
			total := 0
			for _, n := range pc.reads {
				total += n
			}
			if total != tc.wantReads || c.Status.AgreementStatus != v1alpha1.AgreementNotProvided {
				t.Fatalf("reads %v (want %d in all), agreementStatus %q", pc.reads, tc.wantReads, c.Status.AgreementStatus)
			}
		})
	}
}

func TestC10AnApprovedCustomerIsVerifiedAgainOnlyAfterItsBillingProfileChanged(t *testing.T) {
	spec := v1alpha1.CustomerSpec{
		CompanyName: "Contoso Ltd", Email: "billing@contoso.example", Domain: "contoso",
		Address: &v1alpha1.Address{AddressLine1: "1 Main St", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
	}
	inLine := createRequest(&v1alpha1.Customer{Spec: spec}, nil).BillingProfile
	inLine.Attributes.Etag = "v1"
	for _, tc := range []struct {
		name        string
		verified    bool
		knownETag   string
		adopted     bool
		wantReads   int
		wantChanged bool
	}{
		{"approved, the profile as it was verified: verification is final", true, "v1", false, 0, false},
		{"approved, the profile has a new version (edited in the portal): read again", true, "v0", false, 1, true},
		{"approved, the version never recorded (before this field): read", true, "", false, 1, true},
		{"adopted: its profile is not read, so verification always is", true, "", true, 1, false},
		{"not approved yet: read until it is", false, "v1", false, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &v1alpha1.Customer{Spec: spec}
			c.Status.CustomerID, c.Status.BillingProfileETag, c.Status.Adopted = "c-1", tc.knownETag, tc.adopted
			if tc.verified {
				status.MarkTrue(c, v1alpha1.ConditionVerified, ReasonVerificationApproved, "approved")
			}
			pc := &readCounter{profile: &inLine, reads: map[string]int{}}
			r := &Reconciler{External: pc}
			p := &pass{}
			for _, step := range []func(context.Context, *v1alpha1.Customer, *pass) (*phase.Halt, error){r.syncBillingProfile, r.observeVerification} {
				if _, err := step(context.Background(), c, p); err != nil {
					t.Fatal(err)
				}
			}
			if got := pc.reads[wire.OpGetAccountValidationStatus]; got != tc.wantReads || p.profileChanged != tc.wantChanged {
				t.Fatalf("verification read %d times (want %d), profile changed %v (want %v)", got, tc.wantReads, p.profileChanged, tc.wantChanged)
			}
			if !tc.adopted && c.Status.BillingProfileETag != "v1" {
				t.Fatalf("billingProfileETag %q, want the version read (v1)", c.Status.BillingProfileETag)
			}
		})
	}
}

func (f *readCounter) GetAccountValidationStatus(context.Context, string) (*wire.ValidationStatus, error) {
	f.reads[wire.OpGetAccountValidationStatus]++
	return &wire.ValidationStatus{Status: wire.AccountStatusAllowed}, nil
}

func TestACustomerTakesTheAgreementItsConfirmedAttestationReports(t *testing.T) {
	c := &v1alpha1.Customer{Spec: v1alpha1.CustomerSpec{
		CompanyName: "Contoso Ltd", Email: "billing@contoso.example", Domain: "contoso",
		Address: &v1alpha1.Address{AddressLine1: "1 Main St", City: "Redmond", State: "WA", PostalCode: "98052", Country: "US"},
	}}
	c.Namespace, c.Name, c.Generation = "ns", "contoso", 3
	c.Status.CustomerID = "c-1"
	stored := createRequest(c, nil).BillingProfile
	fullPass := map[string]int{
		wire.OpGetBillingProfile: 1, wire.OpGetAccountValidationStatus: 1, wire.OpListAgreements: 1, wire.OpGetDirectSignedStatus: 1}
	for _, tc := range []struct {
		name      string
		p         *pass
		want      map[string]int
		agreement string
	}{
		{"an attestation of the Customer reports the agreement Partner Center confirmed: the agreement is not read again",
			&pass{attestationConfirmed: true},
			map[string]int{wire.OpGetBillingProfile: 1, wire.OpGetAccountValidationStatus: 1}, v1alpha1.AgreementProvided},
		{"no confirmed attestation: the agreement is read from Partner Center", &pass{}, fullPass, v1alpha1.AgreementNotProvided},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pc := &readCounter{profile: &stored, reads: map[string]int{}}
			r := &Reconciler{External: pc}
			got := c.DeepCopy()
			if _, err := r.keepInLine(context.Background(), got, tc.p); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(pc.reads, tc.want) || got.Status.AgreementStatus != tc.agreement {
				t.Fatalf("reads %v, agreement %q; want %v, %q", pc.reads, got.Status.AgreementStatus, tc.want, tc.agreement)
			}
		})
	}
}

func TestOnlyAnAttestationPartnerCenterConfirmedStandsForTheAgreement(t *testing.T) {
	for _, tc := range []struct {
		name      string
		agreement string
		accepted  metav1.ConditionStatus
		want      string
	}{
		{"accepted and Provided", v1alpha1.AgreementProvided, metav1.ConditionTrue, "contoso-mca"},
		{"Provided but not accepted (yet or any more)", v1alpha1.AgreementProvided, metav1.ConditionFalse, ""},
		{"accepted but NotProvided", v1alpha1.AgreementNotProvided, metav1.ConditionTrue, ""},
		{"waiting for the customer", v1alpha1.AgreementNotProvided, metav1.ConditionFalse, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &v1alpha1.MCAAttestation{}
			a.Name = "contoso-mca"
			a.Status.AgreementStatus = tc.agreement
			a.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionAccepted, Status: tc.accepted, Reason: "Test"}}
			if got := confirmedAttestation(a); got != tc.want {
				t.Fatalf("confirmedAttestation = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestACustomerIsWokenOnlyWhenItsAttestationReportsSomethingNewAboutTheAgreement(t *testing.T) {
	waiting := &v1alpha1.MCAAttestation{}
	waiting.Name = "contoso-mca"
	waiting.Status.AgreementStatus = v1alpha1.AgreementNotProvided
	annotated := waiting.DeepCopy()
	annotated.Annotations = map[string]string{"partnercenter.csp.dev/attest-request-id": "r-1"}
	accepted := annotated.DeepCopy()
	accepted.Status.AgreementStatus = v1alpha1.AgreementProvided
	accepted.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionAccepted, Status: metav1.ConditionTrue, Reason: "Accepted"}}
	for _, tc := range []struct {
		name     string
		old, cur *v1alpha1.MCAAttestation
		want     bool
	}{
		{"the intent annotation is written", waiting, annotated, false},
		{"Partner Center confirmed the agreement", annotated, accepted, true},
		{"nothing changed", accepted, accepted.DeepCopy(), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := agreementReportChanged.Update(event.UpdateEvent{ObjectOld: tc.old, ObjectNew: tc.cur}); got != tc.want {
				t.Fatalf("agreementReportChanged = %v, want %v", got, tc.want)
			}
		})
	}
}
