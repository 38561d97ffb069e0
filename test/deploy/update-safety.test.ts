import { describeUpdateAndRetrySafety } from './update-safety-suite';
import { constructSubjects } from './update-safety-subjects';

// Each public construct, one input changed at a time: no custom-named resource is replaced under
// the same name (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html),
// and no retained fixed-name resource survives a failed create to block the retry
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).
// The reference app runs in update-safety-app.test.ts, in parallel.
describeUpdateAndRetrySafety(constructSubjects());
