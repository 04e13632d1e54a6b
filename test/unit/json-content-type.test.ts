import { describe, expect, it } from 'vitest';
import { jsonContentTypeProblem } from '../../shared/http/route';

describe('jsonContentTypeProblem', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON;CHARSET=UTF-8',
    'application/json;charset="utf-8"',
    'application/json; charset=utf8',
    'application/merge-patch+json',
    'application/fhir+json; fhirVersion=4.0',
    ' application/json ',
  ])('takes %s', (header) => {
    expect(jsonContentTypeProblem(header)).toBeUndefined();
  });

  it.each([
    ['text/xml', 'is text/xml; send application/json'],
    ['application/xml', 'is application/xml; send application/json'],
    ['application/x-www-form-urlencoded', 'is application/x-www-form-urlencoded; send application/json'],
    ['multipart/form-data; boundary=----x', 'is multipart/form-data; send application/json'],
    ['text/plain;charset=UTF-8', 'is text/plain; send application/json'],
    ['text/json', 'is text/json; send application/json'],
    ['application/jsonp', 'is application/jsonp; send application/json'],
    ['application/+json', 'is application/+json; send application/json'],
    ['application/json; charset=windows-1252', 'names charset windows-1252; JSON is UTF-8'],
    [';charset=utf-8', 'is empty; send application/json'],
    ['', 'is missing; send application/json'],
    [undefined, 'is missing; send application/json'],
  ])('refuses %s', (header, reason) => {
    expect(jsonContentTypeProblem(header)).toBe(reason);
  });
});
