package customer

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
	"github.com/cspforge/partnercenter-operator/internal/validation"
)

// requestID derives the stable MS-RequestId of one intent of this Customer.
func requestID(c *v1alpha1.Customer, intent string) string {
	return phase.RequestID("customers", c, intent)
}

// Validate runs the admission rules again (webhooks may be off).
func (r *Reconciler) Validate(c *v1alpha1.Customer) *phase.Halt {
	errs, _ := validation.Customer(c, r.Config)
	return phase.InvalidSpec(errs)
}

// pass is what one reconcile of a live Customer learned along the way.
type pass struct {
	// Pass records what Finish reports (observed drift, I1).
	*phase.Pass
	// created is Partner Center's answer to the create call of this pass
	// (nil when the customer existed before). It carries the billing profile
	// Partner Center stored, and a customer created a moment ago has no
	// agreement yet, so neither is read back in the same pass.
	created *wire.Customer
	// attestationConfirmed tells that an MCAAttestation of the Customer
	// reports the agreement Partner Center confirmed (its answer to the
	// attestation, or the direct-signed status it read): the agreement needs
	// no second read.
	attestationConfirmed bool
	// profileChanged tells that the billing profile has another version than
	// the status knew: changed in the portal or by this pass.
	profileChanged bool
}

// ensureExists makes sure the customer exists in Partner Center: adopted (I1, C7) or created.
func (r *Reconciler) ensureExists(ctx context.Context, c *v1alpha1.Customer, p *pass) (*phase.Halt, error) {
	if c.Status.CustomerID != "" {
		return nil, nil
	}
	if c.Spec.ExistingCustomerTenantID != "" {
		return r.adopt(ctx, c)
	}
	return r.create(ctx, c, p)
}

// adopt is I1 and C7: a tenant that already is this partner's (reseller)
// customer is adopted at once; otherwise the partner's relationship request
// link is published and the tenant read again until it accepted. Each look
// reads that one customer (FindCustomer), never the partner's whole book.
// Nothing is ever created on this path, and the link is only read.
func (r *Reconciler) adopt(ctx context.Context, c *v1alpha1.Customer) (*phase.Halt, error) {
	tenant := c.Spec.ExistingCustomerTenantID
	existing, found, err := r.External.FindCustomer(ctx, tenant)
	if err != nil {
		return nil, err
	}
	if found && existing.RelationshipToPartner == wire.RelationshipReseller {
		c.Status.CustomerID = existing.ID
		c.Status.Adopted = true
		status.MarkTrue(c, v1alpha1.ConditionCreated, ReasonAdopted, "I1: the tenant is this partner's customer and was adopted, not created; the operator never deletes it.")
		r.Event(c, corev1.EventTypeNormal, EventAdopted, "Adopted existing customer %s", existing.ID)
		return nil, nil
	}
	if c.Status.RelationshipRequestURL == "" {
		req, err := r.External.GetRelationshipRequestURL(ctx)
		if err != nil {
			return nil, err
		}
		c.Status.RelationshipRequestURL = req.URL
	}
	msg := fmt.Sprintf("Waiting for tenant %s to accept the reseller relationship: send the customer the link in status.relationshipRequestURL.", tenant)
	status.MarkFalse(c, v1alpha1.ConditionCreated, ReasonAwaitingRelationship, msg)
	return phase.WaitFor(ReasonAwaitingRelationship, phase.WaitingSince(c, v1alpha1.ConditionCreated, r.Config.Now()), "%s", msg), nil
}

// billingProfileDiff names the billing-relevant fields Partner Center holds
// differently from the spec (C10), comparing the way Partner Center does
// (case and surrounding spaces do not matter); none when in line.
func billingProfileDiff(spec *v1alpha1.CustomerSpec, p *wire.BillingProfile) []string {
	a := p.DefaultAddress
	if a == nil {
		a = &wire.Address{}
	}
	want := desiredAddress(spec)
	fields := []struct{ name, want, got string }{
		{"companyName", spec.CompanyName, p.CompanyName}, {"email", spec.Email, p.Email},
		{"address.addressLine1", want.AddressLine1, a.AddressLine1}, {"address.addressLine2", want.AddressLine2, a.AddressLine2},
		{"address.addressLine3", want.AddressLine3, a.AddressLine3}, {"address.city", want.City, a.City}, {"address.state", want.State, a.State},
		{"address.postalCode", want.PostalCode, a.PostalCode}, {"address.country", want.Country, a.Country}, {"phoneNumber", want.PhoneNumber, a.PhoneNumber},
	}
	var differ []string
	for _, f := range fields {
		if !strings.EqualFold(strings.TrimSpace(f.want), strings.TrimSpace(f.got)) {
			differ = append(differ, f.name)
		}
	}
	return differ
}

// billingProfilePart names the billing profile among what passes observe
// (phase.Pass.Recent).
const billingProfilePart = "billingProfile"

// syncBillingProfile keeps Partner Center's billing profile in line with the
// spec (C10): a change of company name, e-mail, address or phone is PUT with
// the profile's etag, and the customer is verified again. A profile found in
// line lately is not read again until the change feed reports an edit or
// the resync is due.
func (r *Reconciler) syncBillingProfile(ctx context.Context, c *v1alpha1.Customer, p *pass) (*phase.Halt, error) {
	if c.Status.Adopted || p.Recent(billingProfilePart) {
		return nil, nil // an adopted customer's billing profile is the customer's own
	}
	profile, err := r.billingProfile(ctx, c, p)
	if err != nil {
		return nil, err
	}
	p.sawProfile(c, profile)
	differ := billingProfileDiff(&c.Spec, profile)
	if len(differ) == 0 {
		p.Observed(billingProfilePart)
		return nil, nil
	}
	if phase.Observing(c) {
		p.ObservedDrift("billing profile: " + strings.Join(differ, ", "))
		return nil, nil
	}
	update := *profile
	update.CompanyName = c.Spec.CompanyName
	update.Email = c.Spec.Email
	update.DefaultAddress = mergedAddress(profile.DefaultAddress, desiredAddress(&c.Spec))
	updated, err := r.External.UpdateBillingProfile(ctx, requestID(c, "billing/"+profile.Attributes.Etag), c.Status.CustomerID, update)
	if err != nil {
		return nil, err
	}
	p.sawProfile(c, updated)
	p.Observed(billingProfilePart)
	status.MarkFalse(c, v1alpha1.ConditionVerified, ReasonReverificationInProgress,
		"Billing information changed and was sent to Partner Center; the customer is being verified again. Purchases are blocked until it is approved.")
	r.Event(c, corev1.EventTypeNormal, EventReverificationStarted, "Billing profile updated; Partner Center verifies the customer again")
	return nil, nil
}

// sawProfile records the version of the billing profile Partner Center
// holds, and whether it is another than the one the status knew.
func (p *pass) sawProfile(c *v1alpha1.Customer, profile *wire.BillingProfile) {
	if c.Status.BillingProfileETag != profile.Attributes.Etag {
		c.Status.BillingProfileETag = profile.Attributes.Etag
		p.profileChanged = true
	}
}

// billingProfile is the profile Partner Center holds: the one in the create
// answer of this pass (a replayed create answers with the original, which
// the spec may since have changed, hence still the comparison), else read.
func (r *Reconciler) billingProfile(ctx context.Context, c *v1alpha1.Customer, p *pass) (*wire.BillingProfile, error) {
	if p.created != nil && p.created.BillingProfile != nil {
		return p.created.BillingProfile, nil
	}
	return r.External.GetBillingProfile(ctx, c.Status.CustomerID)
}

// mergedAddress overlays the spec's address fields on Partner Center's, keeping
// what the spec does not manage (contact names).
func mergedAddress(current *wire.Address, want wire.Address) *wire.Address {
	if current != nil {
		want.FirstName, want.MiddleName, want.LastName = current.FirstName, current.MiddleName, current.LastName
	}
	return &want
}

// verification maps an account status to the Verified condition (C10).
type verification struct {
	verified bool
	reason   status.Reason
	message  string
}

// verificationOf says what an account status means for purchases: only
// Allowed, or no status at all, lets the customer buy.
func verificationOf(accountStatus string) verification {
	switch accountStatus {
	case "":
		return verification{true, ReasonNoAccountStatus, "Partner Center has no account status for this customer, which does not block purchases."}
	case wire.AccountStatusAllowed:
		return verification{true, ReasonVerificationApproved, "Approved: Partner Center verified the customer; purchases are allowed."}
	case wire.AccountStatusUnderReview:
		return verification{false, ReasonVerificationUnderReview, "Under review: Microsoft is verifying the customer (usually within three business days); purchases are blocked."}
	case wire.AccountStatusNotAllowed:
		return verification{false, ReasonVerificationRejected, "Rejected: Partner Center did not approve the customer; correct the billing information in the spec to have it verified again."}
	}
	return verification{false, ReasonVerificationPending, fmt.Sprintf("Account status is %q: verification has not completed; purchases are blocked.", accountStatus)}
}

// observeVerification reads the account validation status (C10) and shows it
// verbatim in status.verificationStatus; Verified is True exactly when
// purchases are allowed. A re-verification keeps its reason until it ends.
// An approved customer is verified again only when its billing information
// changes (C10): it is read again only when the billing profile has a new
// version, or its version is unknown (an adopted customer's is not read).
func (r *Reconciler) observeVerification(ctx context.Context, c *v1alpha1.Customer, p *pass) (*phase.Halt, error) {
	if status.IsTrue(c, v1alpha1.ConditionVerified) && c.Status.BillingProfileETag != "" && !p.profileChanged {
		return nil, nil
	}
	vs, err := r.External.GetAccountValidationStatus(ctx, c.Status.CustomerID)
	if err != nil {
		return nil, err
	}
	c.Status.VerificationStatus = ""
	if vs != nil {
		c.Status.VerificationStatus = vs.Status
	}
	v := verificationOf(c.Status.VerificationStatus)
	if v.verified {
		if !status.IsTrue(c, v1alpha1.ConditionVerified) {
			r.Event(c, corev1.EventTypeNormal, EventVerified, "%s", v.message)
		}
		status.MarkTrue(c, v1alpha1.ConditionVerified, v.reason, v.message)
		return nil, nil
	}
	if prev := status.Get(c, v1alpha1.ConditionVerified); prev != nil && prev.Reason == ReasonReverificationInProgress.Name && v.reason.Class == status.RetrySlow {
		v.reason, v.message = ReasonReverificationInProgress, prev.Message
	}
	since := phase.WaitingSince(c, v1alpha1.ConditionVerified, r.Config.Now())
	status.MarkFalse(c, v1alpha1.ConditionVerified, v.reason, v.message)
	return phase.WaitFor(v.reason, since, "%s", v.message), nil
}

// qualificationOf names the qualification a segment needs (C8), or "".
func qualificationOf(segment v1alpha1.Segment) string {
	switch segment {
	case v1alpha1.SegmentEducation:
		return wire.QualificationEducation
	case v1alpha1.SegmentGovernment:
		return wire.QualificationGovernmentCommunityCloud
	case v1alpha1.SegmentNonprofit:
		return wire.QualificationNonprofit
	}
	return ""
}

// ensureQualification requests the segment's qualification once the customer
// exists and tracks it to its outcome (C8).
func (r *Reconciler) ensureQualification(ctx context.Context, c *v1alpha1.Customer, _ *pass) (*phase.Halt, error) {
	want := qualificationOf(c.Spec.Segment)
	if want == "" || c.Status.Adopted || phase.Observing(c) {
		return nil, nil
	}
	if err := r.refreshQualification(ctx, c, want); err != nil {
		return nil, err
	}
	q := c.Status.Qualification
	switch q.VettingStatus {
	case wire.VettingDenied:
		return phase.WaitFor(ReasonQualificationDenied, time.Time{}, "The %s qualification was denied: %s", want, q.VettingReason), nil
	case wire.VettingApproved, "":
		return nil, nil
	}
	return phase.WaitFor(ReasonQualificationInReview, phase.WaitingSince(c, v1alpha1.ConditionReady, r.Config.Now()),
		"The %s qualification is being vetted (%s).", want, q.VettingStatus), nil
}

// refreshQualification requests the qualification the first time and reads
// its vetting status while it is in review.
func (r *Reconciler) refreshQualification(ctx context.Context, c *v1alpha1.Customer, want string) error {
	q := c.Status.Qualification
	if q == nil || q.Qualification != want {
		req := wire.QualificationRequest{Qualification: want}
		switch want {
		case wire.QualificationEducation:
			req.EducationSegment = c.Spec.EducationSegment
		case wire.QualificationGovernmentCommunityCloud:
			req.ValidationCode = c.Spec.GovernmentValidationCode
		}
		created, err := r.External.CreateQualification(ctx, requestID(c, "qualification/"+want), c.Status.CustomerID, req)
		if err != nil {
			return err
		}
		c.Status.Qualification = &v1alpha1.QualificationStatus{Qualification: want, VettingStatus: created.VettingStatus, VettingReason: created.VettingReason}
		r.Event(c, corev1.EventTypeNormal, EventQualificationRequested, "Requested the %s qualification", want)
		return nil
	}
	if q.VettingStatus != wire.VettingInReview {
		return nil
	}
	list, err := r.External.ListQualifications(ctx, c.Status.CustomerID)
	if err != nil {
		return err
	}
	for _, got := range list {
		if got.Qualification == want {
			q.VettingStatus, q.VettingReason = got.VettingStatus, got.VettingReason
		}
	}
	return nil
}

// ensureCostManagement sets the customer's Cost Management policy through ARM (C11).
func (r *Reconciler) ensureCostManagement(ctx context.Context, c *v1alpha1.Customer, _ *pass) (*phase.Halt, error) {
	want := wire.ViewChargesNotAllowed
	if c.Spec.CostManagement {
		want = wire.ViewChargesAllowed
	}
	if c.Status.CostManagement == want || (!c.Spec.CostManagement && c.Status.CostManagement == "") || phase.Observing(c) {
		return nil, nil
	}
	account := r.Config.BillingAccountName
	if account == "" {
		account = DefaultBillingAccountName
	}
	if _, err := r.External.SetCostManagementPolicy(ctx, requestID(c, "costmanagement/"+want), account, c.Status.CustomerID, want); err != nil {
		return nil, err
	}
	c.Status.CostManagement = want
	r.Event(c, corev1.EventTypeNormal, EventCostManagementSet, "Cost Management viewCharges set to %s", want)
	return nil, nil
}

// observeAgreement mirrors the customer's MCA state as
// partnercenter.ReadMCAState decides it (M6, M12): Provided when a partner
// attestation of the MCA that counts today is listed or the customer signed
// it directly; ReacceptanceRequired when the only one predates 2023-04-01.
// A customer created in this pass has neither yet; its MCAAttestation wakes
// it once Partner Center confirmed the agreement, and that confirmation is
// taken as it is. Otherwise every pass reads the agreement from Partner Center.
func (r *Reconciler) observeAgreement(ctx context.Context, c *v1alpha1.Customer, p *pass) (*phase.Halt, error) {
	accepted := p.attestationConfirmed
	var state partnercenter.MCAState
	if p.created == nil && !accepted {
		var err error
		if state, err = partnercenter.ReadMCAState(ctx, r.External, c.Status.CustomerID, true, r.Config.Now()); err != nil {
			return nil, err
		}
		accepted = state.Accepted()
	}
	if state.ReacceptanceRequired() {
		c.Status.AgreementStatus = v1alpha1.AgreementNotProvided
		status.MarkFalse(c, v1alpha1.ConditionAgreementAccepted, ReasonReacceptanceRequired, reacceptanceMessage(state.Outdated))
		return nil, nil
	}
	if !accepted {
		c.Status.AgreementStatus = v1alpha1.AgreementNotProvided
		status.MarkFalse(c, v1alpha1.ConditionAgreementAccepted, ReasonAgreementNotProvided,
			"No acceptance of the Microsoft Customer Agreement is confirmed; an MCAAttestation (partner attestation or direct acceptance) provides it.")
		return nil, nil
	}
	if c.Status.AgreementStatus != v1alpha1.AgreementProvided {
		r.Event(c, corev1.EventTypeNormal, EventAgreementProvided, "The customer's Microsoft Customer Agreement acceptance is confirmed")
	}
	c.Status.AgreementStatus = v1alpha1.AgreementProvided
	status.MarkTrue(c, v1alpha1.ConditionAgreementAccepted, ReasonAgreementProvided, "The customer's acceptance of the Microsoft Customer Agreement is confirmed.")
	return nil, nil
}

// reacceptanceMessage tells the user why an old acceptance no longer counts (M12).
func reacceptanceMessage(outdated *wire.Agreement) string {
	return fmt.Sprintf("M12: the customer's only acceptance of the Microsoft Customer Agreement is dated %s, before %s, and Partner Center no longer counts it: the customer must accept again before new orders (an MCAAttestation, PartnerAttestation or DirectAcceptance, provides it).",
		outdated.DateAgreed, wire.ReacceptanceCutoff.Format(time.DateOnly))
}

// readyMessage summarises a Ready Customer for people.
func readyMessage(c *v1alpha1.Customer) string {
	verification := c.Status.VerificationStatus
	if verification == "" {
		verification = "no account status"
	}
	return fmt.Sprintf("Customer %s exists in Partner Center and may buy (verification: %s; agreement: %s).",
		c.Status.CustomerID, verification, c.Status.AgreementStatus)
}
