import { describeUpdateAndRetrySafety } from './update-safety-suite';
import { appSubject, servingSubject } from './update-safety-subjects';

// The reference app (buildPlatform, packs off) and its served model's stack, one configuration or
// serving input changed at a time: no custom-named resource is replaced under the same name
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html), no
// export in use changes (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-exports.html),
// and no retained fixed-name resource blocks a retry
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).
describeUpdateAndRetrySafety([appSubject(), servingSubject()]);
