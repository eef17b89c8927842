package mcaattestation

import (
	"context"
	"time"

	"github.com/google/uuid"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/cspforge/partnercenter-operator/api/v1alpha1"
	"github.com/cspforge/partnercenter-operator/internal/controller/phase"
	"github.com/cspforge/partnercenter-operator/internal/partnercenter"
	"github.com/cspforge/partnercenter-operator/internal/status"
)

// AnnotationAttestRequestID holds the MS-RequestId of the pending or done
// attestation call. It is written before the call, so a crash or a timeout
// replays the same request and Partner Center answers with the original
// agreement instead of recording a second one.
const AnnotationAttestRequestID = "partnercenter.csp.dev/attest-request-id"

// attest is the partner attestation (M2, M3): nothing is sent when Partner
// Center is known to list an attestation with this contact; otherwise the
// template is looked up, the MS-RequestId persisted and the agreement
// created, a 600061 duplicate counting as done (re-applying, or a second
// object for the same person, never creates a second agreement).
func (r *Reconciler) attest(ctx context.Context, a *v1alpha1.MCAAttestation, customerID string, state agreementState) (*phase.Halt, error) {
	if state.attestedBy(contactOf(a)) {
		// Listed already: this object's own earlier call (a crash or a lost
		// answer, its MS-RequestId is persisted) or an identical attestation
		// made before it, whose notice this object did not cause.
		r.markAccepted(a, a.Annotations[AnnotationAttestRequestID] != "")
		return nil, nil
	}
	if phase.Observing(a) {
		return r.observeAttestation(a, state), nil
	}
	if h := stillRefused(a); h != nil {
		return h, nil
	}
	templateID, err := r.templateID(ctx, a)
	if err != nil {
		return nil, err
	}
	if templateID == "" {
		return noTemplate(), nil
	}
	if err := r.persistRequestID(ctx, a); err != nil {
		return nil, err
	}
	_, err = r.External.CreateAgreement(ctx, a.Annotations[AnnotationAttestRequestID], customerID, agreementOf(a, templateID))
	switch {
	case err == nil || partnercenter.IsDuplicateAgreement(err):
		// 600061: an identical attestation was made before this object's
		// call (a re-applied or twin object); its notice was not caused here.
		a.Status.AgreementStatus = v1alpha1.AgreementProvided
		r.markAccepted(a, err == nil)
		return nil, nil
	case isRefusal(err):
		return r.attestationRefused(ctx, a, err)
	default:
		status.MarkFalse(a, v1alpha1.ConditionAccepted, ReasonAttesting, "The attestation is being sent to Partner Center.")
		return nil, err // transient: the next pass replays the same MS-RequestId
	}
}

// observeAttestation is I1 for an Observe partner attestation: an acceptance
// Partner Center already confirms (by any attestation, or the customer's own)
// is adopted as it is; otherwise nothing is attested.
func (r *Reconciler) observeAttestation(a *v1alpha1.MCAAttestation, state agreementState) *phase.Halt {
	if state.provided() {
		r.markAccepted(a, false)
		return nil
	}
	h := phase.ObserveOnly("the partner attestation of the Microsoft Customer Agreement")
	status.MarkFalse(a, v1alpha1.ConditionAccepted, h.Outcome.Reason, h.Outcome.Message)
	return h
}

// isRefusal reports an answer that replaying cannot change: a client error
// about the attestation itself (not throttling, not a missing credential).
func isRefusal(err error) bool {
	_, throttled := partnercenter.IsThrottled(err)
	return phase.IsClientError(err) && !throttled && !partnercenter.IsCredentialRequired(err)
}

// contactOf is the accepting person as Partner Center records it.
func contactOf(a *v1alpha1.MCAAttestation) partnercenter.Contact {
	p := a.Spec.AcceptedBy
	return partnercenter.Contact{FirstName: p.FirstName, LastName: p.LastName, Email: p.Email, PhoneNumber: p.PhoneNumber}
}

// agreementOf is the attestation body: always the Microsoft Customer
// Agreement type, dateAgreed as a UTC date-time at midnight.
func agreementOf(a *v1alpha1.MCAAttestation, templateID string) partnercenter.Agreement {
	agreed, _ := time.Parse(time.DateOnly, a.Spec.DateAgreed) // validated by validateSpec
	return partnercenter.Agreement{
		PrimaryContact: contactOf(a),
		TemplateID:     templateID,
		DateAgreed:     partnercenter.FormatTime(agreed),
		Type:           partnercenter.AgreementTypeMCA,
	}
}

// templateID is the spec's template, else the one already looked up (for
// this object or, once per process, for any), else the MCA template from
// Partner Center's agreement metadata ("" when it lists none).
func (r *Reconciler) templateID(ctx context.Context, a *v1alpha1.MCAAttestation) (string, error) {
	if a.Spec.TemplateID != "" {
		a.Status.TemplateID = a.Spec.TemplateID
		return a.Spec.TemplateID, nil
	}
	if a.Status.TemplateID != "" {
		return a.Status.TemplateID, nil
	}
	r.mcaTemplate.Lock()
	defer r.mcaTemplate.Unlock()
	if r.mcaTemplate.id == "" {
		templates, err := r.External.GetAgreementMetadata(ctx)
		if err != nil {
			return "", err
		}
		for _, t := range templates {
			if t.AgreementType == partnercenter.AgreementTypeMCA {
				r.mcaTemplate.id = t.TemplateID
				break
			}
		}
	}
	a.Status.TemplateID = r.mcaTemplate.id
	return r.mcaTemplate.id, nil
}

// noTemplate waits, polling slowly, when Partner Center's agreement metadata
// lists no Microsoft Customer Agreement template.
func noTemplate() *phase.Halt {
	return phase.WaitFor(status.ReasonPartnerCenterRefused, time.Time{},
		"Partner Center's agreement metadata lists no %s template; set spec.templateID.", partnercenter.AgreementTypeMCA)
}

// persistRequestID writes a new MS-RequestId to the object before the first
// attestation call (or after a refusal cleared the previous one).
func (r *Reconciler) persistRequestID(ctx context.Context, a *v1alpha1.MCAAttestation) error {
	if a.Annotations[AnnotationAttestRequestID] != "" {
		return nil
	}
	return r.patchMetadata(ctx, a, func(obj *v1alpha1.MCAAttestation) {
		if obj.Annotations == nil {
			obj.Annotations = map[string]string{}
		}
		obj.Annotations[AnnotationAttestRequestID] = uuid.NewString()
	})
}

// attestationRefused stalls on Partner Center's refusal and drops the spent
// MS-RequestId: the next attempt, after the spec changed, is a new request.
func (r *Reconciler) attestationRefused(ctx context.Context, a *v1alpha1.MCAAttestation, err error) (*phase.Halt, error) {
	if perr := r.patchMetadata(ctx, a, func(obj *v1alpha1.MCAAttestation) { delete(obj.Annotations, AnnotationAttestRequestID) }); perr != nil {
		return nil, perr
	}
	h := phase.WaitFor(ReasonAttestationRefused, time.Time{}, "Partner Center refused the attestation: %s. Correct the spec to attest again.", err.Error())
	status.MarkFalse(a, v1alpha1.ConditionAccepted, ReasonAttestationRefused, h.Outcome.Message)
	return h, nil
}

// stillRefused keeps a refused attestation stalled, without calling Partner
// Center again, until the spec changes (a new generation).
func stillRefused(a *v1alpha1.MCAAttestation) *phase.Halt {
	ready := status.Get(a, v1alpha1.ConditionReady)
	if ready == nil || ready.Reason != ReasonAttestationRefused.Name || ready.ObservedGeneration != a.Generation {
		return nil
	}
	return phase.WaitFor(ReasonAttestationRefused, time.Time{}, "%s", ready.Message)
}

// patchMetadata applies mutate to the object's metadata with a merge patch
// and takes back only the resulting metadata: the status computed in this
// reconcile stays as it is, for the one status write at the end.
func (r *Reconciler) patchMetadata(ctx context.Context, a *v1alpha1.MCAAttestation, mutate func(*v1alpha1.MCAAttestation)) error {
	obj := a.DeepCopy()
	patch := client.MergeFrom(obj.DeepCopy())
	mutate(obj)
	if err := r.Client.Patch(ctx, obj, patch); err != nil {
		return err
	}
	a.ObjectMeta = obj.ObjectMeta
	return nil
}
