package customer

import (
	"context"
	"fmt"
	"strconv"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// Annotations holding the create intent (C12, S2). They are written, with the
// finalizer, before the create call, so a restart at any point replays the
// same MS-RequestId and Partner Center answers with the original customer
// (and its one-time password) instead of creating a second one.
const (
	// AnnotationCreateRequestID is the MS-RequestId of the pending or done create call.
	AnnotationCreateRequestID = "partnercenter.csp.dev/create-request-id"
	// AnnotationCreateAttempt counts create attempts; a refused attempt moves
	// to the next one (a new MS-RequestId) once the spec is fixed.
	AnnotationCreateAttempt = "partnercenter.csp.dev/create-attempt"
)

// onMicrosoftDomain is the full initial domain of the customer.
func onMicrosoftDomain(c *v1alpha1.Customer) string { return c.Spec.Domain + ".onmicrosoft.com" }

// createAttempt is the current create attempt number (1 for the first).
func createAttempt(c *v1alpha1.Customer) int {
	n, err := strconv.Atoi(c.Annotations[AnnotationCreateAttempt])
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// create follows "Add a new customer": reseller partnership Active (R1, R4),
// credentials Secret free, domain free (C13), address validated (C5), intent
// persisted, create (C9), credentials stored (C12), and only then the
// customer ID recorded.
func (r *Reconciler) create(ctx context.Context, c *v1alpha1.Customer, p *pass) (*phase.Halt, error) {
	if phase.Observing(c) {
		return phase.ObserveOnly("creating customer " + onMicrosoftDomain(c)), nil
	}
	reseller, h, err := r.resellerGate(ctx, c)
	if h != nil || err != nil {
		return h, err
	}
	if h := phase.StillRefused(c, v1alpha1.ConditionCreated, ReasonCreateRefused); h != nil {
		return h, nil
	}
	if h, err := r.credentialsSecretFree(ctx, c); h != nil || err != nil {
		return h, err
	}
	if c.Annotations[AnnotationCreateRequestID] == "" {
		// The checks run once per attempt: after the intent is persisted the
		// domain may already be ours, and the replay must not be blocked by it.
		for _, check := range []func(context.Context, *v1alpha1.Customer) (*phase.Halt, error){r.checkDomain, r.checkAddress} {
			if h, err := check(ctx, c); h != nil || err != nil {
				return h, err
			}
		}
		if err := r.persistCreateIntent(ctx, c, reseller); err != nil {
			return nil, err
		}
	}
	created, err := r.External.CreateCustomer(ctx, c.Annotations[AnnotationCreateRequestID], createRequest(c, reseller))
	if err != nil {
		return r.createFailed(ctx, c, err)
	}
	if h, err := r.storeCredentials(ctx, c, created); h != nil || err != nil {
		return h, err
	}
	c.Status.CustomerID = created.ID
	p.created = created
	c.Status.CredentialsSecretName = c.CredentialsSecretName()
	status.MarkTrue(c, v1alpha1.ConditionCreated, ReasonCreated, fmt.Sprintf("Created in Partner Center as customer %s.", created.ID))
	r.Event(c, corev1.EventTypeNormal, EventCreated, "Created customer %s (%s, attempt %d)", created.ID, onMicrosoftDomain(c), createAttempt(c))
	return nil, nil
}

// resellerGate waits until the ResellerPartnership named by
// indirectResellerRef is Active and returns it (nil when none is named).
func (r *Reconciler) resellerGate(ctx context.Context, c *v1alpha1.Customer) (*v1alpha1.ResellerPartnership, *phase.Halt, error) {
	ref := c.Spec.IndirectResellerRef
	if ref == nil {
		return nil, nil, nil
	}
	rp := &v1alpha1.ResellerPartnership{}
	if err := r.Client.Get(ctx, types.NamespacedName{Namespace: c.Namespace, Name: ref.Name}, rp); apierrors.IsNotFound(err) {
		rp = nil
	} else if err != nil {
		return nil, nil, err
	}
	if rp.IsActive() {
		return rp, nil, nil
	}
	msg := fmt.Sprintf("Waiting for ResellerPartnership %q to be Active (it is %s): a customer is created on a reseller's behalf only with an active partnership (R1, R4).", ref.Name, rp.StateForHumans())
	status.MarkFalse(c, v1alpha1.ConditionCreated, ReasonResellerPartnershipNotActive, msg)
	return nil, phase.WaitFor(ReasonResellerPartnershipNotActive, phase.WaitingSince(c, v1alpha1.ConditionCreated, r.Config.Now()), "%s", msg), nil
}

// checkDomain refuses a taken onmicrosoft.com domain before any create call (C13).
func (r *Reconciler) checkDomain(ctx context.Context, c *v1alpha1.Customer) (*phase.Halt, error) {
	free, err := r.External.CheckDomainAvailable(ctx, onMicrosoftDomain(c))
	if err != nil || free {
		return nil, err
	}
	msg := fmt.Sprintf("C13: the domain %s is already taken; choose another spec.domain.", onMicrosoftDomain(c))
	status.MarkFalse(c, v1alpha1.ConditionCreated, ReasonDomainTaken, msg)
	return phase.WaitFor(ReasonDomainTaken, time.Time{}, "%s", msg), nil
}

// checkAddress validates the billing address with Partner Center before the
// customer is created (C5); a rejected address shows the suggestions.
func (r *Reconciler) checkAddress(ctx context.Context, c *v1alpha1.Customer) (*phase.Halt, error) {
	verdict, err := r.External.ValidateAddress(ctx, desiredAddress(&c.Spec))
	if err != nil {
		return nil, err
	}
	c.Status.AddressValidation = addressValidationOf(verdict)
	if verdict.Passed() {
		return nil, nil
	}
	msg := fmt.Sprintf("C5: Partner Center did not verify the billing address (%s", verdict.Status)
	if verdict.ValidationMessage != "" {
		msg += ": " + verdict.ValidationMessage
	}
	msg += fmt.Sprintf("); %d suggested address(es) are in status.addressValidation: copy one into spec.address.", len(verdict.SuggestedAddresses))
	status.MarkFalse(c, v1alpha1.ConditionCreated, ReasonAddressRejected, msg)
	return phase.WaitFor(ReasonAddressRejected, time.Time{}, "%s", msg), nil
}

// addressValidationOf copies Partner Center's verdict into status.
func addressValidationOf(v *wire.AddressValidationResponse) *v1alpha1.AddressValidation {
	out := &v1alpha1.AddressValidation{Status: v.Status, Message: v.ValidationMessage}
	for _, s := range v.SuggestedAddresses {
		out.SuggestedAddresses = append(out.SuggestedAddresses, v1alpha1.SuggestedAddress{
			AddressLine1: s.AddressLine1, AddressLine2: s.AddressLine2, City: s.City,
			State: s.State, PostalCode: s.PostalCode, Country: s.Country,
		})
	}
	return out
}

// persistCreateIntent writes, in one metadata patch, the finalizer (before
// the first Partner Center write), the reseller label (R7) and the create
// intent with its MS-RequestId.
func (r *Reconciler) persistCreateIntent(ctx context.Context, c *v1alpha1.Customer, reseller *v1alpha1.ResellerPartnership) error {
	attempt := strconv.Itoa(createAttempt(c))
	err := phase.PatchMetadata(ctx, r.Client, c, func(obj *v1alpha1.Customer) {
		controllerutil.AddFinalizer(obj, v1alpha1.Finalizer)
		metav1.SetMetaDataAnnotation(&obj.ObjectMeta, AnnotationCreateAttempt, attempt)
		metav1.SetMetaDataAnnotation(&obj.ObjectMeta, AnnotationCreateRequestID, requestID(obj, "create/"+attempt))
		if reseller != nil {
			metav1.SetMetaDataLabel(&obj.ObjectMeta, v1alpha1.LabelReseller, reseller.Name)
		}
	})
	return err
}

// createFailed handles a failed create call. A transport failure keeps the
// intent, so the retry replays the same MS-RequestId. A refusal is an answer:
// the next attempt (after the spec is fixed) gets a new MS-RequestId.
func (r *Reconciler) createFailed(ctx context.Context, c *v1alpha1.Customer, err error) (*phase.Halt, error) {
	if !phase.IsClientError(err) || partnercenter.IsConflict(err) {
		status.MarkFalse(c, v1alpha1.ConditionCreated, ReasonCreating,
			"The create call did not complete; it is retried with the same MS-RequestId, so at most one customer is created.")
		return nil, err
	}
	next := strconv.Itoa(createAttempt(c) + 1)
	if perr := phase.PatchMetadata(ctx, r.Client, c, func(obj *v1alpha1.Customer) {
		delete(obj.Annotations, AnnotationCreateRequestID)
		metav1.SetMetaDataAnnotation(&obj.ObjectMeta, AnnotationCreateAttempt, next)
	}); perr != nil {
		return nil, perr
	}
	msg := "Partner Center refused to create the customer: " + err.Error() + " Fix the spec to try again."
	status.MarkFalse(c, v1alpha1.ConditionCreated, ReasonCreateRefused, msg)
	return phase.WaitFor(ReasonCreateRefused, time.Time{}, "%s", msg), nil
}

// createRequest builds the create call from the spec. The default-GDAP choice
// is always sent explicitly (C9); AssociatedPartnerId is the reseller's
// tenant ID (R4).
func createRequest(c *v1alpha1.Customer, reseller *v1alpha1.ResellerPartnership) wire.CustomerCreateRequest {
	gdap := c.Spec.DefaultGDAP == nil || *c.Spec.DefaultGDAP
	address := desiredAddress(&c.Spec)
	if contact := c.Spec.PrimaryContact; contact != nil {
		address.FirstName, address.LastName = contact.FirstName, contact.LastName
	}
	req := wire.CustomerCreateRequest{
		EnableGDAPByDefault: &gdap,
		CompanyProfile: wire.CompanyProfile{
			Domain:                         onMicrosoftDomain(c),
			CompanyName:                    c.Spec.CompanyName,
			OrganizationRegistrationNumber: c.Spec.CompanyRegistrationID,
		},
		BillingProfile: wire.BillingProfile{
			Culture: c.Spec.Culture, Language: c.Spec.Language, Email: c.Spec.Email,
			CompanyName: c.Spec.CompanyName, DefaultAddress: &address,
		},
	}
	if reseller != nil {
		req.AssociatedPartnerID = reseller.Status.ResellerTenantID
	}
	return req
}

// desiredAddress is the spec's billing address in Partner Center's shape,
// with the company phone (C6).
func desiredAddress(spec *v1alpha1.CustomerSpec) wire.Address {
	a := spec.Address
	if a == nil {
		return wire.Address{PhoneNumber: spec.PhoneNumber}
	}
	return wire.Address{
		AddressLine1: a.AddressLine1, AddressLine2: a.AddressLine2, AddressLine3: a.AddressLine3,
		City: a.City, State: a.State, PostalCode: a.PostalCode, Country: a.Country, PhoneNumber: spec.PhoneNumber,
	}
}
