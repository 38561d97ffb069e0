/**
 * The subset of the SageMaker Model Card JSON schema this library writes, written from the
 * documentation page (the sections, the field names, their types, the `risk_rating` and
 * `model_approval_status` enums, the 2048-character limits of the free-text fields and
 * `container_image` and `model_artifact` arrays of at most 15). Content this subset accepts is
 * what `CreateModelCard`/`UpdateModelCard` receive as `Content`; the documents of a model with
 * an unusually long description are truncated to these limits rather than refused by SageMaker.
 * Tests validate every generated card against it with ajv (a development dependency: runtime
 * code enforces the limits while building, see card.ts).
 *
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-cards-json-schema.html
 */
export const MODEL_CARD_SCHEMA_SUBSET = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  definitions: {
    text: { type: 'string', maxLength: 2048 },
    short_text: { type: 'string', maxLength: 1024 },
    risk_rating: { type: 'string', enum: ['High', 'Medium', 'Low', 'Unknown'] },
    images: { type: 'array', maxItems: 15, items: { type: 'string', maxLength: 255 } },
    metric: {
      type: 'object',
      required: ['name', 'type', 'value'],
      properties: {
        name: { type: 'string', pattern: '^.{1,255}$' },
        notes: { type: 'string', maxLength: 1024 },
        type: { type: 'string', enum: ['number', 'string', 'boolean'] },
        value: { anyOf: [{ type: 'number' }, { type: 'string', maxLength: 63 }, { type: 'boolean' }] },
      },
      additionalProperties: false,
    },
  },
  properties: {
    model_overview: {
      type: 'object',
      additionalProperties: false,
      properties: {
        model_description: { $ref: '#/definitions/short_text' },
        model_creator: { $ref: '#/definitions/short_text' },
        model_owner: { $ref: '#/definitions/short_text' },
        model_name: { $ref: '#/definitions/short_text' },
        problem_type: { $ref: '#/definitions/short_text' },
        algorithm_type: { $ref: '#/definitions/short_text' },
        model_artifact: { $ref: '#/definitions/images' },
        inference_environment: {
          type: 'object',
          additionalProperties: false,
          properties: { container_image: { $ref: '#/definitions/images' } },
        },
      },
    },
    intended_uses: {
      type: 'object',
      additionalProperties: false,
      properties: {
        purpose_of_model: { $ref: '#/definitions/text' },
        intended_uses: { $ref: '#/definitions/text' },
        factors_affecting_model_efficiency: { $ref: '#/definitions/text' },
        risk_rating: { $ref: '#/definitions/risk_rating' },
        explanations_for_risk_rating: { $ref: '#/definitions/text' },
      },
    },
    business_details: {
      type: 'object',
      additionalProperties: false,
      properties: {
        business_problem: { $ref: '#/definitions/text' },
        business_stakeholders: { $ref: '#/definitions/text' },
        line_of_business: { $ref: '#/definitions/text' },
      },
    },
    training_details: {
      type: 'object',
      additionalProperties: false,
      properties: {
        training_observations: { $ref: '#/definitions/text' },
        training_job_details: {
          type: 'object',
          additionalProperties: false,
          properties: {
            training_arn: { type: 'string', maxLength: 1024 },
            training_datasets: { $ref: '#/definitions/images' },
            training_environment: {
              type: 'object',
              additionalProperties: false,
              properties: { container_image: { $ref: '#/definitions/images' } },
            },
          },
        },
      },
    },
    evaluation_details: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', pattern: '^.{1,63}$' },
          evaluation_observation: { $ref: '#/definitions/text' },
          datasets: { $ref: '#/definitions/images' },
          metric_groups: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'metric_data'],
              additionalProperties: false,
              properties: {
                name: { type: 'string', pattern: '^.{1,63}$' },
                metric_data: { type: 'array', items: { $ref: '#/definitions/metric' } },
              },
            },
          },
        },
      },
    },
    additional_information: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ethical_considerations: { $ref: '#/definitions/text' },
        caveats_and_recommendations: { $ref: '#/definitions/text' },
        custom_details: {
          type: 'object',
          propertyNames: { pattern: '^[a-z0-9_]{1,64}$' },
          additionalProperties: { type: 'string', maxLength: 1024 },
        },
      },
    },
    model_package_details: {
      type: 'object',
      additionalProperties: false,
      properties: {
        model_package_description: { type: 'string', maxLength: 1024 },
        model_package_arn: { type: 'string', maxLength: 2048 },
        model_package_group_name: { type: 'string', maxLength: 63 },
        model_package_version: { type: 'integer', minimum: 1 },
        model_approval_status: { type: 'string', enum: ['Approved', 'Rejected', 'PendingManualApproval'] },
        approval_description: { type: 'string', maxLength: 1024 },
      },
    },
  },
} as const;
