/** JSON Schema pieces every route's OpenAPI description shares. */
export const errorBody = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
} as const;

export const errors = { 400: errorBody, 401: errorBody, 403: errorBody, 404: errorBody } as const;

export const nullable = (type: string) => ({ type: [type, 'null'] });
